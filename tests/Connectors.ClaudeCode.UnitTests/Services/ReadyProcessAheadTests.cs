// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
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

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref this._ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref this._ticks, by.Ticks);
    }

    private static ChatHistory Ask(string text) => new() { new(AuthorRole.User, text) };

    [Fact]
    public async Task ATakenReadyProcessStillStartingIsReplacedAtOnceMakingRoomFromTheOldestIdleSessionAsync()
    {
        var factory = new Factory();
        factory.Starting[3] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Starting[4] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Starting[5] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new ManualClock();
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, MaxProcesses = 3, Clock = clock };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // 1 is started for the first call; 2 is ready for the second; 3 is given the settings the two shared.
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        await service.WhenWarmProcessesStartedAsync();
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
        await factory.WhenStarted(3);

        // The third call takes 3 before it has answered its initialize: back to back. 1 and 2 are live sessions
        // holding the rest of the budget, so the oldest, 1, ends to make room, and 4 starts while 3 is still starting.
        var third = service.GetChatMessageContentAsync(Ask("three"));
        await factory.WhenStarted(4).WaitAsync(TimeSpan.FromSeconds(10));
        factory.Starting[3].SetResult();
        Assert.Equal("answer 3", (await third).Content);
        Assert.Equal(4, factory.StartedWhenPrompted[3]);
        Assert.True(factory.Started[0].ShutDown);
        Assert.False(factory.Started[1].ShutDown);

        // 4 takes 300 ms to start, and the next call comes 2 s later (the app paused): nothing starts before that
        // call's own end.
        clock.Advance(TimeSpan.FromMilliseconds(300));
        factory.Starting[4].SetResult();
        await service.WhenWarmProcessesStartedAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("answer 4", (await service.GetChatMessageContentAsync(Ask("four"))).Content);
        Assert.Equal(4, factory.StartedWhenPrompted[4]);

        // 5, started at that end, is ready 300 ms later, and the next call comes 100 ms after that: less than two
        // starts after the last call began, so calls come back to back and 6 starts beside it.
        await factory.WhenStarted(5).WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        factory.Starting[5].SetResult();
        await service.WhenWarmProcessesStartedAsync();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("answer 5", (await service.GetChatMessageContentAsync(Ask("five"))).Content);
        Assert.Equal(6, factory.StartedWhenPrompted[5]);
    }

    [Fact]
    public async Task ReadyProcessesAreToppedUpOnlyOnceNoCallHasRunForTheQuietDelayAsync()
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

        // A call that runs past the deadline keeps the top-up waiting: the service is not quiet.
        var slow = (Prompted: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Release: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        factory.Held["more 3"] = slow;
        var running = service.GetChatMessageContentAsync(history);
        await slow.Prompted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Single(factory.Started);
        slow.Release.SetResult();
        Assert.Equal("answer 1", (await running).Content);

        // Quiet from that call's end: nothing 1 ms before the delay has passed, the ready process when it has.
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(factory.Started);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await factory.WhenStarted(2).WaitAsync(TimeSpan.FromSeconds(10));
        await service.WhenWarmProcessesStartedAsync();

        // The next conversation takes it.
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
    }

    [Fact]
    public async Task ANewConversationThatFindsNoReadyProcessWhileATopUpWaitsStartsItAtOnceAsync()
    {
        var factory = new Factory();
        var clock = new FakeTimeProvider();
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1, Clock = clock, ReadyProcessQuietDelay = TimeSpan.FromMilliseconds(100) };
        await using var service = new ClaudeCodeChatCompletionService("m", options, null, factory);

        // The first call of a service starts no ready process beside itself: it may be a conversation's first turn.
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(Ask("one"))).Content);
        Assert.Single(factory.Started);

        // A second new conversation before the service was quiet: new conversations are coming. The ready process (2)
        // starts before the call's own (3), without the clock moving.
        Assert.Equal("answer 3", (await service.GetChatMessageContentAsync(Ask("two"))).Content);
        Assert.Equal(3, factory.StartedWhenPrompted[3]);
        Assert.False(factory.StartedWhenPrompted.ContainsKey(2));
        await service.WhenWarmProcessesStartedAsync();

        // The third takes it.
        Assert.Equal("answer 2", (await service.GetChatMessageContentAsync(Ask("three"))).Content);
    }
}
