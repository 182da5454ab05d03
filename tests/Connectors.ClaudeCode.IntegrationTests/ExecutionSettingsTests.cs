// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Each setting, proven by the request body the real CLI sent to the fake Messages API.</summary>
public sealed class ExecutionSettingsTests
{
    private static ChatHistory Ask(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    [Fact]
    public async Task SamplingParametersAndStopSequencesReachTheApiAndTemperatureTurnsThinkingOffAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var settings = new ClaudeCodePromptExecutionSettings { Temperature = 0.2, TopK = 40, StopSequences = ["STOP", "END"] };

        await service.GetChatMessageContentAsync(Ask("sample"), settings);
        await service.GetChatMessageContentAsync(Ask("nucleus"), new ClaudeCodePromptExecutionSettings { TopP = 0.9 });

        Assert.Equal(0.9, env.Api.MessageRequests[1].Body!["top_p"]!.GetValue<double>());
        var body = env.Api.MessageRequests[0].Body!;
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>());
        Assert.Null(body["top_p"]);
        Assert.Equal(40, body["top_k"]!.GetValue<int>());
        Assert.Equal(["STOP", "END"], body["stop_sequences"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        Assert.Equal("disabled", body["thinking"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task MaxTokensReachesTheApiAndAStopOnItReturnsTheTextSoFarWithLengthAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("The beginning of a long") }, StopReason = "max_tokens" });

        // The CLI's automatic continuation, if it gets as far as a request, must be cut off, not waited for.
        env.Api.Responder = _ => new FakeResponse { Blocks = { FakeBlock.TextBlock("a continuation the caller did not ask for") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) };
        var service = env.CreateService();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var message = await service.GetChatMessageContentAsync(Ask("write a long story"), new ClaudeCodePromptExecutionSettings { MaxTokens = 500 });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("The beginning of a long", message.Content);
        Assert.Equal("length", message.Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Equal("max_tokens", message.Metadata[ClaudeCodeMetadataKeys.StopReason]);
        var requests = env.Api.MessageRequests;
        Assert.InRange(requests.Count, 1, 2);
        Assert.Equal(500, requests[0].Body!["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task StreamingAStopOnMaxTokensEndsWithLengthAfterThePartialTextAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("Partial answer") }, StopReason = "max_tokens", ChunkSize = 3 });
        env.Api.Responder = _ => new FakeResponse { Blocks = { FakeBlock.TextBlock("SHOULD NOT APPEAR") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var service = env.CreateService();

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("go"), new ClaudeCodePromptExecutionSettings { MaxTokens = 50 }))
        {
            chunks.Add(chunk);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("Partial answer", string.Concat(chunks.Select(c => c.Content)));
        Assert.Equal("length", chunks[^1].Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        Assert.InRange(env.Api.MessageRequests.Count, 1, 2);
    }

    [Fact]
    public async Task AStopOnAStopSequenceFinishesWithStopAndNamesTheSequenceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("one two ") }, StopReason = "stop_sequence", StopSequence = "three" });
        var service = env.CreateService();

        var message = await service.GetChatMessageContentAsync(Ask("count"), new ClaudeCodePromptExecutionSettings { StopSequences = ["three"] });

        Assert.Equal("one two ", message.Content);
        Assert.Equal("stop", message.Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Equal("stop_sequence", message.Metadata[ClaudeCodeMetadataKeys.StopReason]);
        Assert.Equal("three", message.Metadata[ClaudeCodeMetadataKeys.StopSequence]);
    }

    [Fact]
    public async Task ChatSystemPromptComesFirstAndUserBecomesMetadataUserIdAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory("History rule.");
        history.AddUserMessage("hi");

        await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { ChatSystemPrompt = "Settings rule.", User = "user-42" });

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Contains("Settings rule.\n\nHistory rule.", request.SystemText, StringComparison.Ordinal);
        Assert.Equal("user-42", request.Body!["metadata"]!["user_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("enabled", 2048)]
    [InlineData("disabled", null)]
    public async Task ThinkingSettingsReachTheApiAsync(string type, int? budget)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();

        await service.GetChatMessageContentAsync(Ask("think"), new ClaudeCodePromptExecutionSettings { Thinking = new ClaudeCodeThinking { Type = type, BudgetTokens = budget } });

        var thinking = Assert.Single(env.Api.MessageRequests).Body!["thinking"]!;
        Assert.Equal(type, thinking["type"]!.GetValue<string>());
        Assert.Equal(budget, thinking["budget_tokens"]?.GetValue<int>());
    }

    [Fact]
    public async Task ReasoningEffortReachesTheApiOnModelsThatTakeItAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(modelId: "claude-opus-4-5");

        await service.GetChatMessageContentAsync(Ask("effort"), new ClaudeCodePromptExecutionSettings { ReasoningEffort = "LOW" });

        Assert.Equal("low", Assert.Single(env.Api.MessageRequests).Body!["output_config"]!["effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheRequestModelOverridesTheServiceModelAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();

        var message = await service.GetChatMessageContentAsync(Ask("who"), new PromptExecutionSettings { ModelId = "claude-haiku-4-5" });

        Assert.Equal("claude-haiku-4-5", Assert.Single(env.Api.MessageRequests).Model);
        Assert.Equal("claude-haiku-4-5", message.ModelId);
    }

    [Fact]
    public async Task SettingsFromAnotherConnectorConvertByName()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var foreign = new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 321, ["temperature"] = 0.5, ["stop_sequences"] = new[] { "###" } },
        };

        await service.GetChatMessageContentAsync(Ask("convert"), foreign);

        var body = Assert.Single(env.Api.MessageRequests).Body!;
        Assert.Equal(321, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.5, body["temperature"]!.GetValue<double>());
        Assert.Equal("###", body["stop_sequences"]![0]!.GetValue<string>());
    }

    public sealed record Person(string Name, int Age);

    [Fact]
    public async Task AResponseFormatTypeRunsThroughJsonSchemaAndReturnsTheJsonAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.ToolUseBlock("toolu_so", "StructuredOutput", """{"Name":"Zed","Age":41}""") } });
        var service = env.CreateService();

        var message = await service.GetChatMessageContentAsync(Ask("who is Zed?"), new ClaudeCodePromptExecutionSettings { ResponseFormat = typeof(Person) });

        var person = JsonSerializer.Deserialize<Person>(message.Content!);
        Assert.Equal(new Person("Zed", 41), person);
        var structured = Assert.IsType<JsonElement>(message.Metadata![ClaudeCodeMetadataKeys.StructuredOutput]);
        Assert.Equal(41, structured.GetProperty("Age").GetInt32());
        var tool = Assert.Single(env.Api.MessageRequests[0].Body!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "StructuredOutput")!;
        Assert.Equal("object", tool["input_schema"]!["type"]!.GetValue<string>());
        Assert.NotNull(tool["input_schema"]!["properties"]!["Name"]);
    }

    [Fact]
    public async Task ASchemaWithKeywordsTheCliRefusesIsCleanedAndStillWorksAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.ToolUseBlock("toolu_so", "StructuredOutput", """{"ok":true}""") } });
        var service = env.CreateService();
        var schema = JsonSerializer.Deserialize<JsonElement>("""{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:x","type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}""");

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("ok?"), new ClaudeCodePromptExecutionSettings { ResponseFormat = schema }))
        {
            chunks.Add(chunk);
        }

        Assert.Equal("""{"ok":true}""", JsonNode.Parse(string.Concat(chunks.Select(c => c.Content)))!.ToJsonString());
        var inputSchema = env.Api.MessageRequests[0].Body!["tools"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "StructuredOutput")!["input_schema"]!.AsObject();
        Assert.False(inputSchema.ContainsKey("$schema"));
        Assert.False(inputSchema.ContainsKey("$id"));
    }

    [Fact]
    public async Task JsonObjectResponseFormatAsksForAnObjectAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.ToolUseBlock("toolu_so", "StructuredOutput", """{"a":1}""") } });
        var service = env.CreateService();

        var message = await service.GetChatMessageContentAsync(Ask("json please"), new ClaudeCodePromptExecutionSettings { ResponseFormat = "json_object" });

        Assert.Equal(1, JsonNode.Parse(message.Content!)!["a"]!.GetValue<int>());
    }

    [Fact]
    public async Task MaxBudgetEndsTheTurnWithATypedErrorAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();

        var error = await Assert.ThrowsAsync<ClaudeCodeTurnException>(() => service.GetChatMessageContentAsync(Ask("spend"), new ClaudeCodePromptExecutionSettings { MaxBudgetUsd = 0.00000001 }));

        Assert.Equal("budget_exhausted", error.TerminalReason);
        Assert.Equal("error_max_budget_usd", error.Subtype);
    }

    [Fact]
    public async Task UnsupportedSettingsThrowUnderTheThrowPolicyBeforeAnyProcessStartsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.UnsupportedParameterPolicy = ClaudeCodeUnsupportedParameterPolicy.Throw);
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["seed"] = 7 } };

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => service.GetChatMessageContentAsync(Ask("seeded"), settings));

        Assert.Contains("'seed'", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }

    [Fact]
    public async Task UnsupportedSettingsAreLoggedAndLeftOutByDefaultAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var logs = new ListLoggerProvider();
        var options = env.CreateOptions();
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["presence_penalty"] = 0.5, ["frequency_penalty"] = 0 } };

        await service.GetChatMessageContentAsync(Ask("penalised"), settings);

        Assert.Contains(logs.Messages, m => m.Contains("'presence_penalty'", StringComparison.Ordinal) && m.Contains("ignored", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("frequency_penalty", StringComparison.Ordinal));
        Assert.Null(Assert.Single(env.Api.MessageRequests).Body!["presence_penalty"]);
    }

    [Fact]
    public async Task RateLimitInformationFromTheCliIsInTheMetadataAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var response = FakeResponse.Text("fine");
        response.Headers["anthropic-ratelimit-unified-status"] = "allowed_warning";
        response.Headers["anthropic-ratelimit-unified-reset"] = "1767225600";
        response.Headers["anthropic-ratelimit-unified-5h-utilization"] = "0.91";
        response.Headers["anthropic-ratelimit-unified-5h-reset"] = "1767225600";
        response.Headers["anthropic-ratelimit-unified-5h-status"] = "allowed_warning";
        response.Headers["anthropic-ratelimit-unified-5h-surpassed-threshold"] = "0.9";
        response.Headers["anthropic-ratelimit-unified-representative-claim"] = "five_hour";
        env.Api.Enqueue(response);
        var options = env.CreateOptions(apiKey: null);

        // Subscription logins (OAuth tokens) get rate-limit events; the token is a throwaway for the fake server.
        options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat01-test";
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options));

        var message = await service.GetChatMessageContentAsync(Ask("limits?"));

        var rateLimit = Assert.IsType<ClaudeCodeRateLimitInfo>(message.Metadata![ClaudeCodeMetadataKeys.RateLimit]);
        Assert.Equal("allowed_warning", rateLimit.Status);
        Assert.Equal("five_hour", rateLimit.Window);
        Assert.Equal(0.91, rateLimit.Utilization);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), rateLimit.ResetsAt);
    }

    [Fact]
    public async Task ARateLimitErrorCarriesTheResetTimeAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ =>
        {
            var response = FakeResponse.Error(429, "rate_limit_error", "slow down");
            response.Headers["anthropic-ratelimit-unified-status"] = "rejected";
            response.Headers["anthropic-ratelimit-unified-reset"] = "1767229200";
            response.Headers["anthropic-ratelimit-unified-representative-claim"] = "five_hour";
            return response;
        };
        var options = env.CreateOptions(apiKey: null);
        options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat01-test";
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options));

        var error = await Assert.ThrowsAsync<ClaudeCodeRateLimitException>(() => service.GetChatMessageContentAsync(Ask("again")));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767229200), error.ResetsAt);
    }
}
