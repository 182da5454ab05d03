// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>
/// When ready processes start: after a call once the service is quiet, at once when new conversations come back to back.
/// </summary>
public sealed class ReadyProcessAheadTests
{
    /// <summary>
    /// Numbers the processes it starts from 1; each answers a prompt with "answer N" and notes how many processes had
    /// been started when its prompt came. Processes named in <see cref="Starting"/> hold their <c>initialize</c> answer
    /// until the test releases it, as a CLI still starting does.
    /// </summary>
    private sealed class Factory : ICliConnectionFactory
    {
        private readonly object _gate = new();
        private readonly Dictionary<int, TaskCompletionSource> _started = [];

        public List<ScriptedCliConnection> Started { get; } = [];

        public Dictionary<int, TaskCompletionSource> Starting { get; } = [];

        public Dictionary<int, int> StartedWhenPrompted { get; } = [];

        /// <summary>Prompts answered only once the test releases them, by their text; each says when it has come.</summary>
        public Dictionary<string, (TaskCompletionSource Prompted, TaskCompletionSource Release)> Held { get; } = [];

        /// <summary>Called as each process starts, on the thread that starts it.</summary>
        public Action? OnStart { get; set; }

        public Task WhenStarted(int number)
        {
            lock (this._gate)
            {
                if (this.Started.Count >= number)
                {
                    return Task.CompletedTask;
                }

                if (!this._started.TryGetValue(number, out var started))
                {
                    this._started[number] = started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return started.Task;
            }
        }

        public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
        {
            this.OnStart?.Invoke();
            var connection = new ScriptedCliConnection();
            int number;
            TaskCompletionSource? started;
            lock (this._gate)
            {
                this.Started.Add(connection);
                number = this.Started.Count;
                this._started.Remove(number, out started);
                if (this.Starting.TryGetValue(number, out var held))
                {
                    connection.InitializeGate = held.Task;
                }
            }

            connection.OnSend = (c, line) =>
            {
                if (line["type"]?.GetValue<string>() == "user" && line["shouldQuery"] is null)
                {
                    Task release;
                    lock (this._gate)
                    {
                        this.StartedWhenPrompted[number] = this.Started.Count;
                        var text = line["message"]!.ToJsonString();
                        var held = this.Held.FirstOrDefault(h => text.Contains(h.Key, StringComparison.Ordinal)).Value;
                        held.Prompted?.TrySetResult();
                        release = held.Release?.Task ?? Task.CompletedTask;
                    }

                    _ = release.ContinueWith(
                        _ =>
                        {
                            c.Emit(CliLines.AssistantText($"answer {number}"));
                            c.Emit(CliLines.Success($"answer {number}"));
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            };
            started?.TrySetResult();
            return Task.FromResult<ICliConnection>(connection);
        }
    }

    private static ChatHistory Ask(string text) => new() { new(AuthorRole.User, text) };

    [Fact]
    public async Task ATakenReadyProcessStillStartingIsReplacedAtOnceMakingRoomFromTheOldestIdleSessionAsync()
    {
        var factory = new Factory();
        factory.Starting[3] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Starting[4] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Starting[5] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new FakeTimeProvider();
        var quiet = TimeSpan.FromMilliseconds(100);
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, MaxProcesses = 3, Clock = clock, ReadyProcessQuietDelay = quiet };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // 1 is started for the first call; 2, once the service is quiet, is ready for the second; 3 is given the
        // settings the two shared.
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        clock.Advance(quiet);
        await service.WhenWarmProcessesStartedAsync();
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
        clock.Advance(quiet);
        await factory.WhenStarted(3).WaitAsync(TimeSpan.FromSeconds(10));

        // The third call takes 3 before it has answered its initialize: back to back. 1 and 2 are live sessions
        // holding the rest of the budget, so the oldest, 1, ends to make room, and 4 starts while 3 is still starting.
        var third = service.GetChatMessageContentAsync(Ask("three"));
        await factory.WhenStarted(4).WaitAsync(TimeSpan.FromSeconds(10));
        factory.Starting[3].SetResult();
        Assert.Equal("answer 3", (await third).Content);
        Assert.Equal(4, factory.StartedWhenPrompted[3]);
        Assert.True(factory.Started[0].ShutDown);
        Assert.False(factory.Started[1].ShutDown);

        // 4 takes 300 ms to start, and the next call comes 2 s later (the app paused): nothing starts beside it.
        clock.Advance(TimeSpan.FromMilliseconds(300));
        factory.Starting[4].SetResult();
        await service.WhenWarmProcessesStartedAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("answer 4", (await service.GetChatMessageContentAsync(Ask("four"))).Content);
        Assert.Equal(4, factory.StartedWhenPrompted[4]);

        // 5, started once the service is quiet after it, is ready 300 ms later, and the next call comes 100 ms after
        // that: less than two starts after the last call began, so calls come back to back and 6 starts beside it.
        clock.Advance(quiet);
        await factory.WhenStarted(5).WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        factory.Starting[5].SetResult();
        await service.WhenWarmProcessesStartedAsync();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("answer 5", (await service.GetChatMessageContentAsync(Ask("five"))).Content);
        Assert.Equal(6, factory.StartedWhenPrompted[5]);
    }

    [Fact]
    public async Task ReadyProcessesAreToppedUpOnceNoCallHasStartedOrEndedForTheQuietDelayAsync()
    {
        var factory = new Factory();
        var clock = new FakeTimeProvider();
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, Clock = clock, ReadyProcessQuietDelay = TimeSpan.FromMilliseconds(100) };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // A conversation's turns 60 ms apart: each call's end moves the deadline, so no process starts beside them.
        var history = Ask("one");
        for (var turn = 0; turn < 4; turn++)
        {
            history.AddAssistantMessage((await service.GetChatMessageContentAsync(history)).Content!);
            history.AddUserMessage($"more {turn}");
            clock.Advance(TimeSpan.FromMilliseconds(60));
        }

        Assert.Single(factory.Started);

        // A call that starts moves the deadline too: 100 ms after its start, not after the last call's end.
        var slow = (Prompted: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Release: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        factory.Held["more 3"] = slow;
        var running = service.GetChatMessageContentAsync(history);
        await slow.Prompted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(factory.Started);

        // A call that waits on the model (or a stream its caller abandoned) does not hold the top-up back for good.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await factory.WhenStarted(2).WaitAsync(TimeSpan.FromSeconds(10));
        slow.Release.SetResult();
        Assert.Equal("answer 1", (await running).Content);
        await service.WhenWarmProcessesStartedAsync();

        // The next conversation takes it.
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(2)]
    public async Task ANewConversationThatFindsNoReadyProcessWhileATopUpWaitsStartsItAtOnceOnAFreePermitOnlyAsync(int maxProcesses)
    {
        var factory = new Factory();
        var clock = new FakeTimeProvider();
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, MaxProcesses = maxProcesses, Clock = clock, ReadyProcessQuietDelay = TimeSpan.FromMilliseconds(100) };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // The first call of a service starts no ready process beside itself: it may be a conversation's first turn.
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        Assert.Single(factory.Started);

        // A second new conversation before the service was quiet: new conversations are coming. The call starts its
        // own process (2) and then, on a free permit, the ready process (3), without the clock moving.
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
        if (maxProcesses == 2)
        {
            // No permit was free (1 is a live session, 2 the call's own): no ready process started, none was ended for
            // the call (a ready process started first took the call's permit, and the call ended it).
            Assert.Equal(2, factory.Started.Count);
            return;
        }

        Assert.Equal(3, factory.StartedWhenPrompted[2]);
        await service.WhenWarmProcessesStartedAsync();

        // The third takes it.
        Assert.Equal("answer 3", (await service.GetChatMessageContentAsync(Ask("three"))).Content);
    }

    [Fact]
    public async Task NewConversationsThatStartedTheirOwnProcessesCountAsBackToBackForTheNextThatTakesAReadyOneAsync()
    {
        var factory = new Factory();
        factory.Starting[3] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new FakeTimeProvider();
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, Clock = clock, ReadyProcessQuietDelay = TimeSpan.FromMilliseconds(100) };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // Two new conversations 50 ms apart, each on a process of its own (1, 2); the second starts the ready one (3),
        // which takes 300 ms to start.
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
        await factory.WhenStarted(3).WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        factory.Starting[3].SetResult();
        await service.WhenWarmProcessesStartedAsync();

        // The third comes 310 ms after the second began, less than two starts: calls come back to back although no
        // call took a ready process before, so its replacement (4) starts beside it rather than once the service is quiet.
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal("answer 3", (await service.GetChatMessageContentAsync(Ask("three"))).Content);
        Assert.Equal(4, factory.StartedWhenPrompted[3]);
    }

    [Fact]
    public async Task ATopUpRunsWithoutTheAmbientContextOfTheCodeThatBuiltTheServiceAsync()
    {
        var marker = new AsyncLocal<string?>();
        var seen = new ConcurrentQueue<string?>();
        var factory = new Factory { OnStart = () => seen.Enqueue(marker.Value) };

        // Built under a value (an Activity or a logging scope would be one), then called without it; the quiet timer
        // is a real one here.
        marker.Value = "builder";
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1 }, null, factory);
        marker.Value = null;

        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        await factory.WhenStarted(2).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, seen.Count);
        Assert.All(seen, value => Assert.Null(value));
    }
}
