// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

public sealed class ConcurrencyLimitTests
{
    /// <summary>Hands out a new scripted connection per call; each answers only when the test says so.</summary>
    private sealed class HeldFactory : ICliConnectionFactory
    {
        public ConcurrentQueue<ScriptedCliConnection> Prompted { get; } = new();

        public SemaphoreSlim PromptArrived { get; } = new(0);

        public int Started;

        public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref this.Started);
            var connection = new ScriptedCliConnection();
            connection.OnSend = (c, line) =>
            {
                if (line["type"]?.GetValue<string>() == "user")
                {
                    this.Prompted.Enqueue(c);
                    this.PromptArrived.Release();
                }
            };
            return Task.FromResult<ICliConnection>(connection);
        }

        public static void Answer(ScriptedCliConnection connection)
        {
            connection.Emit(CliLines.AssistantText("done"));
            connection.Emit(CliLines.Success("done"));
        }
    }

    private static ChatHistory Ask()
    {
        var history = new ChatHistory();
        history.AddUserMessage("hi");
        return history;
    }

    [Fact]
    public async Task CallsBeyondTheLimitWaitForAFreeSlotAndCanCancelWhileWaiting()
    {
        var factory = new HeldFactory();
        var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, MaxConcurrentCalls = 1, WarmProcesses = 0 }, null, factory);

        var first = service.GetChatMessageContentAsync(Ask());
        await factory.PromptArrived.WaitAsync(TimeSpan.FromSeconds(10));
        var second = service.GetChatMessageContentAsync(Ask());
        using var cts = new CancellationTokenSource();
        var third = service.GetChatMessageContentAsync(Ask(), cancellationToken: cts.Token);

        // Only the first call has a process; the others wait without starting one.
        Assert.Equal(1, factory.Started);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.False(second.IsCompleted);

        factory.Prompted.TryDequeue(out var held);
        HeldFactory.Answer(held!);
        Assert.Equal("done", (await first).Content);

        await factory.PromptArrived.WaitAsync(TimeSpan.FromSeconds(10));
        factory.Prompted.TryDequeue(out held);
        HeldFactory.Answer(held!);
        Assert.Equal("done", (await second).Content);
        Assert.Equal(2, factory.Started);
    }
}
