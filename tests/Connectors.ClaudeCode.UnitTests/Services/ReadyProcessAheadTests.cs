// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>When a new conversation takes a ready process that is still starting, its replacement starts at once.</summary>
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
                    lock (this._gate)
                    {
                        this.StartedWhenPrompted[number] = this.Started.Count;
                    }

                    c.Emit(CliLines.AssistantText($"answer {number}"));
                    c.Emit(CliLines.Success($"answer {number}"));
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
}
