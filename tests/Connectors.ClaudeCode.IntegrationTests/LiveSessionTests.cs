// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// A conversation keeps its CLI process between calls. Which process served a request is read from the session id
/// header the CLI sends (one per process); what it sent is read from the recorded request.
/// </summary>
public sealed class LiveSessionTests
{
    private static (string Role, string Text)[] Turns(RecordedRequest request)
        => request.Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray();

    private static (string Role, string Text)[] Turns(ChatHistory history)
        => history.Where(m => m.Role != AuthorRole.System).Select(m => (m.Role.Label, m.Content ?? string.Empty)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AConversationSendingItsWholeHistoryEachCallStaysInOneProcessAsync(bool streaming)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory("You are terse.");

        for (var turn = 1; turn <= 10; turn++)
        {
            history.AddUserMessage($"question {turn}");
            string answer;
            if (streaming)
            {
                var text = new StringBuilder();
                await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
                {
                    text.Append(chunk.Content);
                }

                answer = text.ToString();
            }
            else
            {
                answer = (await service.GetChatMessageContentAsync(history)).Content!;
            }

            Assert.Equal($"ECHO: question {turn}", answer);

            // The API saw exactly the caller's conversation, although only the new message was sent to the CLI.
            Assert.Equal(Turns(history), Turns(env.Api.MessageRequests[^1]));
            history.AddAssistantMessage(answer);
        }

        var requests = env.Api.MessageRequests;
        Assert.Equal(10, requests.Count);
        Assert.All(requests, r => Assert.NotNull(r.CliSessionId));
        Assert.Single(requests.Select(r => r.CliSessionId).Distinct());
    }

    [Fact]
    public async Task AnEditedOrRetriedHistoryGoesToAnotherProcessAndTheLiveOneStaysForItsOwnContinuationAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("hello");
        history.AddAssistantMessage((await service.GetChatMessageContentAsync(history)).Content!);
        var original = env.Api.MessageRequests[^1].CliSessionId;

        // A retry of the first call: the same history without the answer.
        var retry = new ChatHistory { history[0] };
        Assert.Equal("ECHO: hello", (await service.GetChatMessageContentAsync(retry)).Content);
        Assert.NotEqual(original, env.Api.MessageRequests[^1].CliSessionId);

        // A branch whose earlier answer was edited.
        var edited = new ChatHistory { history[0], new ChatMessageContent(AuthorRole.Assistant, "something else"), new ChatMessageContent(AuthorRole.User, "next") };
        await service.GetChatMessageContentAsync(edited);
        Assert.NotEqual(original, env.Api.MessageRequests[^1].CliSessionId);
        Assert.Equal(Turns(edited), Turns(env.Api.MessageRequests[^1]));

        // The original conversation still continues in its own process.
        history.AddUserMessage("next");
        await service.GetChatMessageContentAsync(history);
        Assert.Equal(original, env.Api.MessageRequests[^1].CliSessionId);
        Assert.Equal(Turns(history), Turns(env.Api.MessageRequests[^1]));
    }

    [Fact]
    public async Task TwoCallsWithTheSameHistoryNeverShareAProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("start");
        history.AddAssistantMessage((await service.GetChatMessageContentAsync(history)).Content!);
        history.AddUserMessage("go on");

        var answers = await Task.WhenAll(service.GetChatMessageContentAsync(history), service.GetChatMessageContentAsync(history));

        Assert.All(answers, a => Assert.Equal("ECHO: go on", a.Content));
        var continuations = env.Api.MessageRequests.Skip(1).ToList();
        Assert.Equal(2, continuations.Count);
        Assert.NotEqual(continuations[0].CliSessionId, continuations[1].CliSessionId);
        Assert.All(continuations, r => Assert.Equal(Turns(history), Turns(r)));
    }

    [Fact]
    public async Task AnAutoInvokedFunctionConversationContinuesInItsProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastUserText.Contains("time", StringComparison.Ordinal) && request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Checking.", ("toolu_t", "mcp__kernel__Clock-Now", "{}"))
            : FakeResponse.Text(request.LastToolResults.Count > 0 ? "It is noon." : "ECHO: " + request.LastUserText);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now")]);
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("what time is it");

        var first = await service.GetChatMessageContentAsync(history, settings, kernel);
        history.Add(first);
        history.AddUserMessage("thanks");
        var second = await service.GetChatMessageContentAsync(history, settings, kernel);

        Assert.Equal("It is noon.", first.Content);
        Assert.Equal("ECHO: thanks", second.Content);
        var requests = env.Api.MessageRequests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.NotNull(r.CliSessionId));
        Assert.Single(requests.Select(r => r.CliSessionId).Distinct());
        Assert.Equal("12:00", RecordedRequest.ResultText(Assert.Single(requests[^1].Messages[2]["content"]!.AsArray().OfType<System.Text.Json.Nodes.JsonObject>())));
    }

    [Fact]
    public async Task ATurnStoppedAtTheOutputLimitDoesNotKeepItsProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("cut") }, StopReason = "max_tokens" });
        env.Api.Responder = request => request.LastUserText.StartsWith("Output token limit", StringComparison.Ordinal)
            ? new FakeResponse { Blocks = { FakeBlock.TextBlock("unwanted continuation") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) }
            : FakeResponse.Text("ECHO: " + request.LastUserText);
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("long story");

        var cut = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { MaxTokens = 100 });
        var cutSession = env.Api.MessageRequests[0].CliSessionId;
        history.Add(cut);
        history.AddUserMessage("shorter please");
        var next = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { MaxTokens = 100 });

        Assert.Equal("ECHO: shorter please", next.Content);
        var last = env.Api.MessageRequests[^1];
        Assert.NotEqual(cutSession, last.CliSessionId);
        Assert.Equal([("user", "long story"), ("assistant", "cut"), ("user", "shorter please")], Turns(last));
    }

    [Fact]
    public async Task ADifferentSystemPromptOrModelStartsAnotherProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory("first system prompt");
        history.AddUserMessage("hi");
        history.AddAssistantMessage((await service.GetChatMessageContentAsync(history)).Content!);
        var first = env.Api.MessageRequests[^1].CliSessionId;
        history.AddUserMessage("more");

        history[0] = new ChatMessageContent(AuthorRole.System, "second system prompt");
        await service.GetChatMessageContentAsync(history);

        var last = env.Api.MessageRequests[^1];
        Assert.NotEqual(first, last.CliSessionId);
        Assert.Contains("second system prompt", last.SystemText, StringComparison.Ordinal);
        Assert.DoesNotContain("first system prompt", last.SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationsStartedAlikeGetAReadyProcessPreparedAheadWithTheSameRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var logs = new ListLoggerProvider();
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, env.CreateOptions(), logs.CreateFactory()));
        var settings = new ClaudeCodePromptExecutionSettings { Temperature = 0.25, MaxTokens = 300 };

        async Task<RecordedRequest> NewConversationAsync(string system, string prompt)
        {
            await service.WhenWarmProcessesStartedAsync();
            var history = new ChatHistory(system);
            history.AddUserMessage(prompt);
            var answer = await service.GetChatMessageContentAsync(history, settings);
            Assert.Equal("ECHO: " + prompt, answer.Content);
            return env.Api.MessageRequests[^1];
        }

        // The same first message each time: the request bodies can then be compared whole.
        var first = await NewConversationAsync("You are terse.", "hello");
        var second = await NewConversationAsync("You are terse.", "hello");

        // The third finds a process given its settings while it waited; its request is the same as the others'.
        var third = await NewConversationAsync("You are terse.", "hello");
        Assert.Single(logs.Messages, m => m.Contains("its settings given ahead", StringComparison.Ordinal));
        Assert.Equal(WithoutMetadata(first), WithoutMetadata(third));
        Assert.Equal(WithoutMetadata(second), WithoutMetadata(third));
        Assert.Equal(0.25, third.Body!["temperature"]!.GetValue<double>());
        Assert.Equal(300, third.Body["max_tokens"]!.GetValue<int>());

        // A conversation with other settings never gets the prepared process: its own system prompt reaches the API.
        var other = await NewConversationAsync("You are verbose.", "hello");
        Assert.Contains("You are verbose.", other.SystemText, StringComparison.Ordinal);
        Assert.DoesNotContain("You are terse.", other.SystemText, StringComparison.Ordinal);
        Assert.Single(logs.Messages, m => m.Contains("its settings given ahead", StringComparison.Ordinal));

        // The session id differs per process; everything else must not.
        static string WithoutMetadata(RecordedRequest request)
        {
            var body = request.Body!.DeepClone().AsObject();
            body.Remove("metadata");
            return body.ToJsonString();
        }
    }

    [Fact]
    public async Task AReadyProcessNeverStartsBesideAConversationsTurnsButDoesWhenANewConversationFindsNoneAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var logs = new ListLoggerProvider();

        // A quiet delay no run reaches: a ready process can start only because a new conversation asks for one.
        var options = env.CreateOptions();
        options.ReadyProcessQuietDelay = TimeSpan.FromMinutes(10);
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));
        int Started() => logs.Messages.Count(m => m.StartsWith("Debug: Started Claude Code CLI", StringComparison.Ordinal));

        var history = new ChatHistory();
        for (var turn = 0; turn < 3; turn++)
        {
            history.AddUserMessage($"turn {turn}");
            var answer = await service.GetChatMessageContentAsync(history);
            Assert.Equal($"ECHO: turn {turn}", answer.Content);
            history.AddAssistantMessage(answer.Content!);
        }

        Assert.Equal(1, Started());

        // A second conversation finds none while a top-up waits: one starts beside it, for the next.
        Assert.Equal("ECHO: another", (await service.GetChatMessageContentAsync(new ChatHistory { new(AuthorRole.User, "another") })).Content);
        Assert.Equal(3, Started());
        await service.WhenWarmProcessesStartedAsync();

        // The third takes it. Coming less than two process starts after the second began (back to back), it also starts
        // the next one beside itself; on a machine so loaded that the second took longer than that, it does not.
        Assert.Equal("ECHO: a third", (await service.GetChatMessageContentAsync(new ChatHistory { new(AuthorRole.User, "a third") })).Content);
        Assert.Single(logs.Messages, m => m.Contains("Starting the conversation on a ready process", StringComparison.Ordinal));
        Assert.InRange(Started(), 3, 4);
    }

    [Fact]
    public async Task AWarmedUpServiceStartsItsFirstConversationOnAReadyProcessWithTheSameRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var logs = new ListLoggerProvider();
        var settings = new ClaudeCodePromptExecutionSettings { Temperature = 0.25, MaxTokens = 300 };
        var history = new ChatHistory("You are terse.");
        history.AddUserMessage("hello");

        // A process started for the call, as a reference.
        var dedicated = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        Assert.Equal("ECHO: hello", (await dedicated.GetChatMessageContentAsync(history, settings)).Content);
        var reference = env.Api.MessageRequests[^1];

        var warmed = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, env.CreateOptions(), logs.CreateFactory()));
        await warmed.WarmUpAsync();
        Assert.Equal("ECHO: hello", (await warmed.GetChatMessageContentAsync(history, settings)).Content);

        Assert.Single(logs.Messages, m => m.Contains("Starting the conversation on a ready process", StringComparison.Ordinal));
        Assert.Equal(WithoutMetadata(reference), WithoutMetadata(env.Api.MessageRequests[^1]));

        static string WithoutMetadata(RecordedRequest request)
        {
            var body = request.Body!.DeepClone().AsObject();
            body.Remove("metadata");
            return body.ToJsonString();
        }
    }

    [Fact]
    public async Task EachCallInALiveSessionReportsItsOwnCostNotTheSessionsTotalAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        var costs = new double[3];
        var modelUsages = new string[3];
        for (var turn = 0; turn < costs.Length; turn++)
        {
            history.AddUserMessage("turn " + turn);
            var answer = await service.GetChatMessageContentAsync(history);
            history.Add(answer);
            costs[turn] = Assert.IsType<double>(answer.Metadata![ClaudeCodeMetadataKeys.CostUsd]);
            modelUsages[turn] = Assert.IsType<string>(answer.Metadata[ClaudeCodeMetadataKeys.ModelUsage]);
        }

        // One process answered all three (the CLI's own totals grow with each), and every request used the same tokens.
        Assert.Single(env.Api.MessageRequests.Select(r => r.CliSessionId).Distinct());
        Assert.True(costs[0] > 0);
        Assert.All(costs, cost => Assert.Equal(costs[0], cost, precision: 9));
        foreach (var usage in modelUsages)
        {
            var model = JsonNode.Parse(usage)![CliTestEnvironment.TestModel]!;
            Assert.Equal(100, model["inputTokens"]!.GetValue<long>());
            Assert.Equal(7, model["outputTokens"]!.GetValue<long>());
            Assert.Equal(costs[0], model["costUSD"]!.GetValue<double>(), precision: 9);
        }
    }
}
