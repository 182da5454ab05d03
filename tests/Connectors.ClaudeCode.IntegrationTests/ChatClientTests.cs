// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>The Microsoft.Extensions.AI face, on the real CLI.</summary>
public sealed class ChatClientTests
{
    private static ClaudeCodeChatClient CreateClient(CliTestEnvironment env) => new(CliTestEnvironment.TestModel, env.CreateOptions());

    [Fact]
    public async Task AConversationIdContinuesTheSessionWithOnlyTheNewMessagesAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = CreateClient(env);
        var options = new ChatOptions { Instructions = "Be brief." };

        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "first")], options);
        Assert.NotNull(first.ConversationId);

        options.ConversationId = first.ConversationId;
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "second")], options);
        var updates = new List<ChatResponseUpdate>();
        options.ConversationId = second.ConversationId;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "third")], options))
        {
            updates.Add(update);
        }

        Assert.Equal("ECHO: second", second.Text);
        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.Equal("ECHO: third", updates.ToChatResponse().Text);
        Assert.Equal(first.ConversationId, updates.ToChatResponse().ConversationId);
        var requests = env.Api.MessageRequests;
        Assert.Single(requests.Select(r => r.Headers["X-Claude-Code-Session-Id"]).Distinct());
        Assert.Equal(
            [("user", "first"), ("assistant", "ECHO: first"), ("user", "second"), ("assistant", "ECHO: second"), ("user", "third")],
            requests[^1].Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray());
        Assert.Contains("Be brief.", requests[^1].SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConversationWhoseProcessEndedIsReplayedIntoANewOneAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, WithOneLiveSession(env.CreateOptions()));
        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "remember me")]);

        // Another conversation takes the only live-session place: the first one's process ends.
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "someone else")]);
        var resumed = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "still me")], new ChatOptions { ConversationId = first.ConversationId });

        Assert.Equal("ECHO: still me", resumed.Text);
        Assert.Equal(first.ConversationId, resumed.ConversationId);
        var requests = env.Api.MessageRequests;
        Assert.NotEqual(requests[0].CliSessionId, requests[^1].CliSessionId);
        Assert.Equal(
            [("user", "remember me"), ("assistant", "ECHO: remember me"), ("user", "still me")],
            requests[^1].Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray());

        // And it lives on in its new process.
        var next = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "again")], new ChatOptions { ConversationId = resumed.ConversationId });
        Assert.Equal("ECHO: again", next.Text);
        Assert.Equal(requests[^1].CliSessionId, env.Api.MessageRequests[^1].CliSessionId);
        Assert.Equal(5, env.Api.MessageRequests[^1].Messages.Count);

        static ClaudeCodeOptions WithOneLiveSession(ClaudeCodeOptions options)
        {
            options.MaxLiveSessions = 1;
            return options;
        }
    }

    [Fact]
    public async Task AConversationIdTheServiceNoLongerHoldsIsATypedErrorNamingItAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = CreateClient(env);
        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "first")]);

        var unknown = await Assert.ThrowsAsync<ClaudeCodeConversationNotFoundException>(
            () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], new ChatOptions { ConversationId = "cc-unknown" }));
        var changed = await Assert.ThrowsAsync<ClaudeCodeConversationNotFoundException>(
            () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], new ChatOptions { ConversationId = first.ConversationId, Instructions = "Another system prompt." }));

        Assert.Equal("cc-unknown", unknown.ConversationId);
        Assert.Contains("cc-unknown", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("other settings", changed.Message, StringComparison.Ordinal);
        Assert.Single(env.Api.MessageRequests);

        // The conversation whose settings did not match is still there for a call that keeps them.
        var again = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "second")], new ChatOptions { ConversationId = first.ConversationId });
        Assert.Equal("ECHO: second", again.Text);
    }

    [Fact]
    public async Task AResponseCarriesTextThinkingUsageAndFinishReasonAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(FakeResponse.ThinkingThenText("Hmm.", "Blue, because of Rayleigh scattering."));
        using var client = CreateClient(env);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Why is the sky blue?")]);

        Assert.Equal("Blue, because of Rayleigh scattering.", response.Text);
        Assert.Equal("Hmm.", Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(133, response.Usage!.InputTokenCount);
        Assert.Equal(CliTestEnvironment.TestModel, response.ModelId);
        Assert.True((double)response.AdditionalProperties![ClaudeCodeMetadataKeys.CostUsd]! > 0);
        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Contains("Be brief.", request.SystemText, StringComparison.Ordinal);
        Assert.Equal("claude-code", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task StreamingEndsWithUsageAndTheOptionsReachTheApiAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("one two three") }, ChunkSize = 4 });
        using var client = CreateClient(env);
        var options = new ChatOptions { Temperature = 0.4f, MaxOutputTokens = 300, StopSequences = ["END"], Instructions = "Answer in English." };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "count")], options))
        {
            updates.Add(update);
        }

        Assert.Equal("one two three", string.Concat(updates.Select(u => u.Text)));
        Assert.True(updates.Count(u => u.Text.Length > 0) >= 3);
        var usage = Assert.Single(updates[^1].Contents.OfType<UsageContent>());
        Assert.Equal(7, usage.Details.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        var body = Assert.Single(env.Api.MessageRequests).Body!;
        Assert.Equal(0.4, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(300, body["max_tokens"]!.GetValue<int>());
        Assert.Equal("END", body["stop_sequences"]![0]!.GetValue<string>());
    }

    [Description("Gets the weather for a city")]
    private static string GetWeather([Description("City name")] string city) => $"Weather in {city}: rainy, 12C";

    [Fact]
    public async Task ToolCallsComeBackToTheCallerAndUseFunctionInvocationCompletesThemAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_c1", "mcp__kernel__GetWeather", """{"city":"Oslo"}"""))
            : FakeResponse.Text("It says: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var weather = AIFunctionFactory.Create(GetWeather, "GetWeather");
        using var client = CreateClient(env);
        var options = new ChatOptions { Tools = [weather] };

        // The bare client returns the call.
        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Oslo?")], options);
        var call = Assert.Single(first.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal(("toolu_c1", "GetWeather", "Oslo"), (call.CallId, call.Name, call.Arguments!["city"]!.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        // With the MEAI function-invocation middleware the loop completes.
        using var pipeline = new ChatClientBuilder(client).UseFunctionInvocation().Build();
        var answer = await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "Oslo?")], options);

        Assert.Equal("It says: Weather in Oslo: rainy, 12C", answer.Text);

        // The middleware sent only the result, with the conversation id: the CLI that asked for the call took it.
        var requests = env.Api.MessageRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(requests[1].CliSessionId, requests[2].CliSessionId);
        Assert.Equal(["Weather in Oslo: rainy, 12C"], requests[2].LastToolResults.Select(RecordedRequest.ResultText).ToArray());
        var tool = env.Api.MessageRequests[0].Body!["tools"]![0]!;
        Assert.Equal("mcp__kernel__GetWeather", tool["name"]!.GetValue<string>());
        Assert.Equal("string", tool["input_schema"]!["properties"]!["city"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequireSpecificToolBecomesANamedToolChoiceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => FakeResponse.ToolCalls(null, ("toolu_r", "mcp__kernel__GetWeather", """{"city":"Rome"}"""));
        using var client = CreateClient(env);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Rome")], new ChatOptions
        {
            Tools = [AIFunctionFactory.Create(GetWeather, "GetWeather")],
            ToolMode = ChatToolMode.RequireSpecific("GetWeather"),
        });

        var choice = env.Api.MessageRequests[0].Body!["tool_choice"]!;
        Assert.Equal(("tool", "mcp__kernel__GetWeather"), (choice["type"]!.GetValue<string>(), choice["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheServiceCollectionRegistersTheClientAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var configured = env.CreateOptions();
        var services = new ServiceCollection();
        services.AddClaudeCodeChatClient(CliTestEnvironment.TestModel, o =>
        {
            o.CliPath = configured.CliPath;
            o.WorkingDirectory = configured.WorkingDirectory;
            o.MaxRetries = 0;
            foreach (var (name, value) in configured.EnvironmentVariables)
            {
                o.EnvironmentVariables[name] = value;
            }
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("ping");

        Assert.Equal("ECHO: ping", response.Text);
    }
}
