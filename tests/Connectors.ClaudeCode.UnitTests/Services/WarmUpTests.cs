// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>WarmUpAsync starts the ready processes before the first call, on both faces.</summary>
public sealed class WarmUpTests
{
    /// <summary>Starts a new scripted connection each time; each answers a prompt with "answer".</summary>
    private sealed class Factory : ICliConnectionFactory
    {
        public ConcurrentQueue<ScriptedCliConnection> Connections { get; } = new();

        public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
        {
            var connection = new ScriptedCliConnection
            {
                OnSend = (c, line) =>
                {
                    if (line["type"]?.GetValue<string>() == "user")
                    {
                        c.Emit(CliLines.AssistantText("answer"));
                        c.Emit(CliLines.Success("answer"));
                    }
                },
            };
            this.Connections.Enqueue(connection);
            return Task.FromResult<ICliConnection>(connection);
        }
    }

    [Fact]
    public async Task TheFirstConversationAfterAWarmUpStartsOnTheProcessItStartedAsync()
    {
        var factory = new Factory();
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 1 }, null, factory);

        await service.WarmUpAsync();
        var warmed = Assert.Single(factory.Connections);

        // It answered while it waited (a warm-up waits for that), and the call found it: its prompt went there.
        Assert.Contains(warmed.Sent, l => l["request"]?["subtype"]?.GetValue<string>() == "set_max_thinking_tokens");
        Assert.Equal("answer", (await service.GetChatMessageContentAsync(new ChatHistory { new(AuthorRole.User, "hi") })).Content);
        Assert.Contains(warmed.Sent, l => l["type"]?.GetValue<string>() == "user");
    }

    [Fact]
    public async Task AChatClientWarmsUpTheSameWayAsync()
    {
        var factory = new Factory();
        using var client = new ClaudeCodeChatClient("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 2 }, null, factory);

        await client.WarmUpAsync();
        Assert.Equal(2, factory.Connections.Count);

        // Once warm, a second warm-up starts nothing.
        await client.WarmUpAsync();
        Assert.Equal(2, factory.Connections.Count);
        Assert.Equal("answer", (await client.GetResponseAsync("hi")).Text);
        Assert.Single(factory.Connections, c => c.Sent.Any(l => l["type"]?.GetValue<string>() == "user"));
    }

    [Fact]
    public async Task WithoutReadyProcessesAWarmUpStartsNothingAsync()
    {
        var factory = new Factory();
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);

        await service.WarmUpAsync();

        Assert.Empty(factory.Connections);
    }
}
