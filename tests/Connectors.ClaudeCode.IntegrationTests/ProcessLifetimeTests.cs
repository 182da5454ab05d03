// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Cancellation, crashes and process cleanup, checked by counting this process's live CLI children.</summary>
[Collection(ProcessSensitiveCollection.Name)]
public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task CompletedCallsLeaveLiveSessionsThatEndWithTheServiceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        await service.GetChatMessageContentAsync(history);
        await foreach (var _ in service.GetStreamingChatMessageContentsAsync(history))
        {
        }

        // The same history twice is not a continuation: two conversations, each holding its process.
        Assert.Equal(2, ChildProcesses.LiveClaudeDescendants().Count);
        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task WithoutLiveSessionsACompletedCallLeavesNoCliProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.MaxLiveSessions = 0;
            o.WarmProcesses = 0;
        });
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        await service.GetChatMessageContentAsync(history);

        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task AFailedCallLeavesNoCliProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => FakeResponse.Error(500, "api_error", "boom");
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        await Assert.ThrowsAsync<ClaudeCodeApiException>(() => service.GetChatMessageContentAsync(history));

        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task CancellingWhileTheCliStartsEndsItWithoutWaitingForAnInterruptAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.WarmProcesses = 0;
            o.InterruptGracePeriod = TimeSpan.FromSeconds(20);
        });
        using var cts = new CancellationTokenSource();

        var call = service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") }, cancellationToken: cts.Token);
        var polling = Stopwatch.StartNew();
        while (ChildProcesses.LiveClaudeDescendants().Count == 0 && polling.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Yield();
        }

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}, as if it waited for the interrupt grace period");
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
        Assert.Empty(env.Api.MessageRequests);
    }

    [Fact]
    public async Task PipeHandlesStayFlatOverManyCallsWithoutAGarbageCollectionAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.WarmProcesses = 0;
            o.MaxLiveSessions = 0;
        });
        var history = new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") };
        await service.GetChatMessageContentAsync(history);
        var before = OpenPipes();

        for (var i = 0; i < 20; i++)
        {
            await service.GetChatMessageContentAsync(history);
        }

        // Two pipes a call would be 40 here; a few may be in flight elsewhere in this process.
        Assert.InRange(OpenPipes() - before, int.MinValue, 4);

        static int OpenPipes()
            => System.IO.Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Count(fd => new System.IO.FileInfo(fd).LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CancellingWhileTheModelIsSlowThrowsPromptlyAndKillsTheCliAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Api.Responder = _ =>
        {
            requestArrived.TrySetResult();
            return new FakeResponse { Blocks = { FakeBlock.TextBlock("too late") }, DelayBeforeResponse = TimeSpan.FromSeconds(60) };
        };
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Take your time");
        using var cts = new CancellationTokenSource();

        var call = service.GetChatMessageContentAsync(history, cancellationToken: cts.Token);
        await requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(ChildProcesses.LiveClaudeDescendants());
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task CancellingMidStreamThrowsPromptlyAndKillsTheCliAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("one two three four five six seven") }, ChunkSize = 4, PauseAfterFirstDelta = TimeSpan.FromSeconds(60) });
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Count slowly");
        using var cts = new CancellationTokenSource();
        var received = 0;
        var clock = new Stopwatch();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, cancellationToken: cts.Token))
            {
                if (!string.IsNullOrEmpty(chunk.Content))
                {
                    received++;
                    clock.Start();
                    await cts.CancelAsync();
                }
            }
        });
        clock.Stop();

        Assert.Equal(1, received);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task StoppingAStreamEarlyKillsTheCliAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("alpha beta gamma delta") }, ChunkSize = 3, PauseAfterFirstDelta = TimeSpan.FromSeconds(60) });
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Go");

        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
        {
            if (!string.IsNullOrEmpty(chunk.Content))
            {
                break;
            }
        }

        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task TheRealCliKilledMidTurnGivesAProcessErrorAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ =>
        {
            foreach (var pid in ChildProcesses.LiveClaudeDescendants())
            {
                Process.GetProcessById(pid).Kill();
            }

            return new FakeResponse { Blocks = { FakeBlock.TextBlock("never read") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) };
        };
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeProcessException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal(137, error.ExitCode);
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task ACallPastTheRequestTimeoutThrowsATimeoutAndEndsTheCliAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => new FakeResponse { Blocks = { FakeBlock.TextBlock("late") }, DelayBeforeResponse = TimeSpan.FromSeconds(60) };
        var service = env.CreateService(configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(3);
            o.WarmProcesses = 0;
        });
        var history = new ChatHistory();
        history.AddUserMessage("Hello");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClaudeCodeTimeoutException>(() => service.GetChatMessageContentAsync(history));

        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Equal(TimeSpan.FromSeconds(3), error.Timeout);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task CancellingDuringAFunctionCancelsTheFunctionAndEndsTheCliAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_c", "mcp__kernel__Slow-Wait", "{}"))
            : FakeResponse.Text("finished");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var functionCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Slow", [KernelFunctionFactory.CreateFromMethod(async (CancellationToken token) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                functionCancelled.TrySetResult();
                throw;
            }

            return "never";
        }, "Wait")]);
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        using var cts = new CancellationTokenSource();

        var call = service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "wait") }, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel, cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
        await functionCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task ANewConversationStartsOnAReadyProcessThatSendsTheSameRequestAsAFreshOneAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.MaxLiveSessions = 0);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now", "Tells the time")]);
        var settings = new ClaudeCodePromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
            MaxTokens = 700,
            Temperature = 0.3,
            StopSequences = ["END"],
        };
        ChatHistory Conversation() => new("Answer in French.") { new ChatMessageContent(AuthorRole.User, "Bonjour") };

        await service.GetChatMessageContentAsync(Conversation(), settings, kernel);
        await service.WhenWarmProcessesStartedAsync();
        var ready = Assert.Single(ChildProcesses.LiveClaudeDescendants());
        await service.GetChatMessageContentAsync(Conversation(), settings, kernel);
        await service.WhenWarmProcessesStartedAsync();

        // The ready process served the call (and, without live sessions, ended); another waits for the next one.
        var next = Assert.Single(ChildProcesses.LiveClaudeDescendants());
        Assert.NotEqual(ready, next);
        var (fresh, late) = (env.Api.MessageRequests[0], env.Api.MessageRequests[1]);
        Assert.NotEqual(fresh.CliSessionId, late.CliSessionId);
        Assert.Equal(WithoutIds(fresh), WithoutIds(late));
        Assert.Equal("disabled", late.Body!["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal(700, late.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal(["mcp__kernel__Clock-Now"], late.ToolNames.ToArray());

        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());

        // Everything but the ids that name the process.
        static string WithoutIds(RecordedRequest request)
        {
            var body = request.Body!.DeepClone().AsObject();
            body.Remove("metadata");
            return body.ToJsonString();
        }
    }

    [Fact]
    public async Task TwoCallsInParallelEachGetTheirOwnAnswerAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var first = new ChatHistory();
        first.AddUserMessage("first question");
        var second = new ChatHistory();
        second.AddUserMessage("second question");

        var answers = await Task.WhenAll(service.GetChatMessageContentAsync(first), service.GetChatMessageContentAsync(second));

        Assert.Equal("ECHO: first question", answers[0].Content);
        Assert.Equal("ECHO: second question", answers[1].Content);
        Assert.Equal(2, env.Api.MessageRequests.Count);
        Assert.Equal(2, env.Api.MessageRequests.Select(r => r.Headers.GetValueOrDefault("X-Claude-Code-Session-Id")).Distinct().Count());
        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }
}
