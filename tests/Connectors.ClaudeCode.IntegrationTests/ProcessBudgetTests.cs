// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
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

/// <summary>The process budget and live sessions' lifetime, checked by counting this process's live CLI children.</summary>
[Collection(ProcessSensitiveCollection.Name)]
public sealed class ProcessBudgetTests
{
#if NET10_0_OR_GREATER
    // The two load tests exercise the connector's own scheduling, not the runtime under it: they run once, with the
    // net10.0 build, which keeps the suite within CI's time on two cores.

    /// <summary>With the default limit (2 × cores, at least 8) and with a small one.</summary>
    [Theory]
    [InlineData(null, 40)]
    [InlineData(3, 12)]
    public async Task ManyCallsAtOnceNeverRunMoreProcessesThanTheLimitAndAllAnswerAsync(int? maxProcesses, int calls)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var peak = 0;
        env.Api.Responder = request =>
        {
            var alive = ChildProcesses.LiveClaudeChildren().Count;
            InterlockedMax(ref peak, alive);
            return FakeResponse.Text("ECHO: " + request.LastUserText);
        };
        var limit = maxProcesses ?? new ClaudeCodeOptions().MaxProcesses;
        var service = env.CreateService(configure: o => o.MaxProcesses = limit);

        var answers = await Task.WhenAll(Enumerable.Range(0, calls).Select(i =>
            service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, $"call {i}") })));

        Assert.Equal(Enumerable.Range(0, calls).Select(i => $"ECHO: call {i}"), answers.Select(a => a.Content));
        Assert.InRange(peak, 1, limit);
        Assert.InRange(ChildProcesses.LiveClaudeChildren().Count, 1, limit);
        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

#endif

    [Fact]
    public async Task LiveSessionsBeyondTheirLimitEndLeastRecentlyUsedFirstAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.MaxLiveSessions = 2;
            o.WarmProcesses = 0;
        });
        var conversations = Enumerable.Range(0, 3).Select(i => new ChatHistory { new ChatMessageContent(AuthorRole.User, $"conversation {i}") }).ToArray();
        var sessions = new string?[3];
        for (var i = 0; i < 3; i++)
        {
            conversations[i].Add(await service.GetChatMessageContentAsync(conversations[i]));
            sessions[i] = env.Api.MessageRequests[^1].CliSessionId;
        }

        // The evicted session's process ends in the background (its permit is freed only once it has).
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count == 2);
        Assert.Equal(2, ChildProcesses.LiveClaudeDescendants().Count);

        // The first conversation was least recently used: its process ended, so it is replayed into a new one.
        conversations[0].AddUserMessage("again");
        await service.GetChatMessageContentAsync(conversations[0]);
        Assert.NotEqual(sessions[0], env.Api.MessageRequests[^1].CliSessionId);
        conversations[2].AddUserMessage("again");
        await service.GetChatMessageContentAsync(conversations[2]);
        Assert.Equal(sessions[2], env.Api.MessageRequests[^1].CliSessionId);
    }

    [Fact]
    public async Task ALiveSessionWhoseProcessDiedWhileIdleIsNotHandedOutAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var history = new ChatHistory { new ChatMessageContent(AuthorRole.User, "hello") };
        history.Add(await service.GetChatMessageContentAsync(history));
        var first = env.Api.MessageRequests[^1].CliSessionId;
        var pid = Assert.Single(ChildProcesses.LiveClaudeDescendants());
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        history.AddUserMessage("still there?");
        var answer = await service.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: still there?", answer.Content);
        var last = env.Api.MessageRequests[^1];
        Assert.NotEqual(first, last.CliSessionId);
        Assert.Equal(3, last.Messages.Count);
    }

    [Fact]
    public async Task AnIdleLiveSessionEndsAfterItsTimeoutAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.LiveSessionIdleTimeout = TimeSpan.FromMilliseconds(300);
            o.WarmProcesses = 0;
        });

        await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hello") });

        // Polled, not slept on: the sweep runs every quarter of the timeout.
        var clock = Stopwatch.StartNew();
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count == 0);

        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"ended after {clock.Elapsed}");
    }

    [Fact]
    public async Task ASessionThatAnsweredOneCallEndsAfterTheShorterTimeoutWhileAContinuedOneStaysAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o =>
        {
            o.LiveSessionIdleTimeout = TimeSpan.FromMinutes(10);
            o.SingleCallSessionIdleTimeout = TimeSpan.FromSeconds(1);
            o.WarmProcesses = 0;
        });

        // A conversation continued once; one whose first call brings earlier answers (a restored chat); a one-off call.
        var chat = new ChatHistory { new ChatMessageContent(AuthorRole.User, "first") };
        chat.AddAssistantMessage((await service.GetChatMessageContentAsync(chat)).Content!);
        chat.AddUserMessage("second");
        chat.AddAssistantMessage((await service.GetChatMessageContentAsync(chat)).Content!);
        var conversation = env.Api.MessageRequests[^1].CliSessionId;
        Assert.Equal(2, env.Api.MessageRequests.Count(r => r.CliSessionId == conversation));
        var restored = new ChatHistory { new ChatMessageContent(AuthorRole.User, "earlier") };
        restored.AddAssistantMessage("an earlier answer");
        restored.AddUserMessage("again");
        restored.AddAssistantMessage((await service.GetChatMessageContentAsync(restored)).Content!);
        var restoredSession = env.Api.MessageRequests[^1].CliSessionId;
        await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "one-off") });
        Assert.Equal(3, ChildProcesses.LiveClaudeDescendants().Count);

        // Polled: the one-off's process ends after a second; the two conversations keep waiting for their next calls.
        var clock = Stopwatch.StartNew();
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count < 3);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(800), $"ended after {clock.Elapsed}");
        Assert.Equal(2, ChildProcesses.LiveClaudeDescendants().Count);
        chat.AddUserMessage("third");
        Assert.Equal("ECHO: third", (await service.GetChatMessageContentAsync(chat)).Content);
        Assert.Equal(conversation, env.Api.MessageRequests[^1].CliSessionId);
        restored.AddUserMessage("and again");
        Assert.Equal("ECHO: and again", (await service.GetChatMessageContentAsync(restored)).Content);
        Assert.Equal(restoredSession, env.Api.MessageRequests[^1].CliSessionId);
    }

    [Fact]
    public async Task AManualFunctionRoundTripCountsAsOneCallForTheIdleTimeoutAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count > 0
            ? new FakeResponse { Blocks = { FakeBlock.TextBlock("It is noon.") } }
            : FakeResponse.ToolCalls(null, ("toolu_n", "mcp__kernel__Clock-Now", "{}"));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now")]);
        var service = env.CreateService(configure: o =>
        {
            o.LiveSessionIdleTimeout = TimeSpan.FromMinutes(10);
            o.SingleCallSessionIdleTimeout = TimeSpan.FromSeconds(1);
            o.WarmProcesses = 0;
        });
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };

        // One request of an agent: the model's function call, its result sent back, the answer, in one CLI turn.
        var history = new ChatHistory { new ChatMessageContent(AuthorRole.User, "time?") };
        var calls = await service.GetChatMessageContentAsync(history, settings, kernel);
        history.Add(calls);
        history.Add((await calls.Items.OfType<FunctionCallContent>().Single().InvokeAsync(kernel)).ToChatMessage());
        Assert.Equal("It is noon.", (await service.GetChatMessageContentAsync(history, settings, kernel)).Content);
        Assert.Single(env.Api.MessageRequests.Select(r => r.CliSessionId).Distinct());

        // Polled: its process ends after the single-call timeout, not the 10 minutes of a continued conversation.
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count == 0);
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task AnInfiniteIdleTimeoutKeepsTheSessionWhenReadyProcessesExpireAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var logs = new ListLoggerProvider();
        var options = env.CreateOptions();
        options.LiveSessionIdleTimeout = Timeout.InfiniteTimeSpan;
        options.SingleCallSessionIdleTimeout = Timeout.InfiniteTimeSpan;
        options.WarmProcessIdleTimeout = TimeSpan.FromMilliseconds(300);
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));
        int Started() => logs.Messages.Count(m => m.StartsWith("Debug: Started Claude Code CLI", StringComparison.Ordinal));

        var chat = new ChatHistory { new ChatMessageContent(AuthorRole.User, "first") };
        chat.AddAssistantMessage((await service.GetChatMessageContentAsync(chat)).Content!);
        var conversation = env.Api.MessageRequests[^1].CliSessionId;
        await service.WhenWarmProcessesStartedAsync();
        Assert.Equal(2, Started());

        // Polled: the ready process ends at a sweep (it may have already); that sweep leaves the session, which has no
        // timeout, and the conversation goes on in the same process.
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count < 2);
        Assert.Single(ChildProcesses.LiveClaudeDescendants());
        chat.AddUserMessage("second");
        Assert.Equal("ECHO: second", (await service.GetChatMessageContentAsync(chat)).Content);
        Assert.Equal(conversation, env.Api.MessageRequests[^1].CliSessionId);
        Assert.Equal(2, Started());
    }

    [Fact]
    public async Task DisposingWhileACallRunsCancelsItAndLeavesNoProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Api.Responder = request =>
        {
            requestArrived.TrySetResult();
            return new FakeResponse { Blocks = { FakeBlock.TextBlock("slow") }, DelayBeforeResponse = TimeSpan.FromSeconds(60) };
        };
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var call = service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "wait") });
        await requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await service.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }

    [Fact]
    public async Task ASessionWaitingOnFunctionResultsEndsWithTheServiceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => FakeResponse.ToolCalls(null, ("toolu_w", "mcp__kernel__Clock-Now", "{}"));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now")]);

        // A process waiting on a permission does not exit when its input closes: it must be ended, not waited for.
        var service = env.CreateService(configure: o =>
        {
            o.WarmProcesses = 0;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(30);
        });

        var calls = await service.GetChatMessageContentAsync(
            new ChatHistory { new ChatMessageContent(AuthorRole.User, "time?") },
            new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) },
            kernel);

        Assert.Single(calls.Items.OfType<FunctionCallContent>());
        Assert.Single(ChildProcesses.LiveClaudeDescendants());
        var clock = Stopwatch.StartNew();
        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"disposal took {clock.Elapsed}, as if it waited for the grace period");
    }

    [Fact]
    public async Task WhenTheHostExitsEveryCliItStartedIsKilledAndTheServiceRecoversAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory { new ChatMessageContent(AuthorRole.User, "hello") };
        history.Add(await service.GetChatMessageContentAsync(history));
        await service.WhenWarmProcessesStartedAsync();
        Assert.Equal(2, ChildProcesses.LiveClaudeDescendants().Count);

        // What AppDomain.ProcessExit (SIGTERM) and SIGINT run.
        Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.CliProcessRegistry.KillAll();
        await ChildProcesses.WaitUntilAsync(() => ChildProcesses.LiveClaudeDescendants().Count == 0);
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());

        history.AddUserMessage("still there?");
        Assert.Equal("ECHO: still there?", (await service.GetChatMessageContentAsync(history)).Content);
        Assert.Equal(3, env.Api.MessageRequests[^1].Messages.Count);
    }

#if NET10_0_OR_GREATER
    [Fact]
    public async Task UnderLoadWithCancellationsEveryCallAnswersItsOwnConversationOrIsCancelledAndTheCapHoldsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var peak = 0;
        env.Api.Responder = request =>
        {
            InterlockedMax(ref peak, ChildProcesses.LiveClaudeChildren().Count);
            return new FakeResponse { Blocks = { FakeBlock.TextBlock("ECHO: " + request.LastUserText) }, ChunkSize = 6, DelayBetweenEvents = TimeSpan.FromMilliseconds(2) };
        };
        var service = env.CreateService(configure: o => o.MaxProcesses = 4);
        const int Conversations = 8;
        const int CallsEach = 25;
        var random = new Random(20261127);
        var cancelAt = Enumerable.Range(0, Conversations * CallsEach).OrderBy(_ => random.Next()).Take(50).ToHashSet();
        var delays = Enumerable.Range(0, Conversations * CallsEach).Select(_ => random.Next(0, 400)).ToArray();
        var answered = 0;
        var cancelled = 0;

        await Task.WhenAll(Enumerable.Range(0, Conversations).Select(async c =>
        {
            var history = new ChatHistory($"conversation {c}");
            for (var n = 0; n < CallsEach; n++)
            {
                var call = (c * CallsEach) + n;
                var question = $"c{c}-q{n}";
                history.AddUserMessage(question);
                using var cts = new CancellationTokenSource();
                if (cancelAt.Contains(call))
                {
                    cts.CancelAfter(delays[call]);
                }

                try
                {
                    var streamed = new System.Text.StringBuilder();
                    await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, cancellationToken: cts.Token))
                    {
                        streamed.Append(chunk.Content);
                    }

                    // Only this conversation's own question can come back.
                    Assert.Equal("ECHO: " + question, streamed.ToString());
                    history.AddAssistantMessage(streamed.ToString());
                    Interlocked.Increment(ref answered);
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    // As an app would: the question that got no answer is dropped.
                    history.RemoveAt(history.Count - 1);
                    Interlocked.Increment(ref cancelled);
                }
            }
        }));

        Assert.Equal(Conversations * CallsEach, answered + cancelled);
        Assert.InRange(cancelled, 1, 50);
        Assert.InRange(peak, 1, 4);
        Assert.InRange(ChildProcesses.LiveClaudeChildren().Count, 0, 4);
        await service.DisposeAsync();
        Assert.Empty(ChildProcesses.LiveClaudeDescendants());
    }
#endif

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
