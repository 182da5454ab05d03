// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>Processes that ran before a call (live sessions, ready processes) and died just before it needed them.</summary>
public sealed class ReusedProcessTests
{
    /// <summary>Starts a new scripted connection each time; each answers a prompt with "answer N".</summary>
    private sealed class CountingFactory : ICliConnectionFactory
    {
        public ConcurrentQueue<ScriptedCliConnection> Started { get; } = new();

        public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
        {
            var number = this.Started.Count + 1;
            var connection = new ScriptedCliConnection();
            connection.OnSend = (c, line) =>
            {
                if (line["type"]?.GetValue<string>() == "user" && line["shouldQuery"] is null)
                {
                    c.Emit(CliLines.AssistantText($"answer {number}"));
                    c.Emit(CliLines.Success($"answer {number}"));
                }
                else if (line["shouldQuery"] is not null)
                {
                    c.Emit("""{"type":"result","subtype":"success","is_error":false,"num_turns":0,"session_id":"s"}""");
                }
            };
            this.Started.Enqueue(connection);
            return Task.FromResult<ICliConnection>(connection);
        }
    }

    [Fact]
    public async Task ALiveSessionThatDiedJustBeforeTheCallIsReplacedAndTheCallAnswersAsync()
    {
        var factory = new CountingFactory();
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);
        var history = new ChatHistory();
        history.AddUserMessage("first");
        history.Add(await service.GetChatMessageContentAsync(history));
        var first = Assert.Single(factory.Started);

        // Its output ends as soon as it is written to, while it still looks alive.
        first.OnSend = (c, _) => c.EndOutput();
        history.AddUserMessage("second");
        var answer = await service.GetChatMessageContentAsync(history);

        Assert.Equal("answer 2", answer.Content);
        var second = factory.Started.Last();
        var lines = second.Sent.Where(l => l["type"]?.GetValue<string>() is "user" or "assistant").Select(l => l["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["first", "answer 1", "second"], lines.ToArray());
        Assert.True(first.Aborted || first.ShutDown);
    }

    [Fact]
    public async Task AReadyProcessThatDiedWhileWaitingIsReplacedAsync()
    {
        var factory = new CountingFactory();
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, MaxLiveSessions = 0 }, null, factory);
        Assert.Equal("answer 1", (await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "one") })).Content);
        await service.WhenWarmProcessesStartedAsync();
        var ready = factory.Started.Last();

        // The ready process's output has ended: its initialize cannot be answered.
        ready.EndOutput();
        ready.OnSend = (_, _) => throw new CliProcessExitedException("The CLI exited.", 137, string.Empty);
        var answer = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "two") });

        Assert.StartsWith("answer ", answer.Content, StringComparison.Ordinal);
        Assert.NotEqual("answer 2", answer.Content);
        Assert.True(ready.Aborted || ready.ShutDown || ready.Disposed);
    }
}
