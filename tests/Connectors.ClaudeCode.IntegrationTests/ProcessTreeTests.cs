// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// What a CLI starts ends with it: an MCP server the app configures (here a stubborn one that ignores SIGTERM, SIGHUP
/// and the end of its input) must not outlive the call's process, whether the turn ended cleanly or was cancelled.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessTreeTests
{
    private static ClaudeCodeChatCompletionService ServiceWithStubbornMcpServer(CliTestEnvironment env, string pidFile)
    {
        var server = FakeCliScripts.Write(env.Root, "stubborn-mcp-server", $"""
            echo $$ >> '{pidFile}'
            trap '' TERM HUP INT
            while :; do sleep 0.1; done
            """);
        var config = new JsonObject { ["mcpServers"] = new JsonObject { ["stubborn"] = new JsonObject { ["command"] = server, ["args"] = new JsonArray() } } };
        return env.CreateService(configure: options =>
        {
            CliTestEnvironment.WithoutReadyProcesses(options);
            options.AdditionalCliArguments.Add("--mcp-config=" + config.ToJsonString());

            // The CLI waits this long for the server's handshake, which never comes.
            options.EnvironmentVariables["MCP_TIMEOUT"] = "300";
        });
    }

    private static int[] StartedServers(string pidFile)
        => File.Exists(pidFile) ? [.. File.ReadAllLines(pidFile).Where(l => l.Length > 0).Select(int.Parse)] : [];

    /// <summary>A kill is a signal: the process is gone a moment later. Waits for that, bounded, never for a fixed time.</summary>
    private static async Task AssertAllEndAsync(int[] pids)
    {
        await ChildProcesses.WaitUntilAsync(() => !pids.Any(ChildProcesses.IsAlive));
        Assert.DoesNotContain(pids, ChildProcesses.IsAlive);
    }

    [Fact]
    public async Task AnMcpServerTheCliStartedEndsWithTheServiceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var pidFile = Path.Combine(env.Root, "mcp.pids");
        var service = ServiceWithStubbornMcpServer(env, pidFile);
        var history = new ChatHistory();
        history.AddUserMessage("hello");

        var answer = await service.GetChatMessageContentAsync(history);
        var servers = StartedServers(pidFile);
        await service.DisposeAsync();

        Assert.Equal("ECHO: hello", answer.Content);
        Assert.NotEmpty(servers);
        await AssertAllEndAsync(servers);
    }

    [Fact]
    public async Task AnMcpServerTheCliStartedEndsWhenTheCallIsCancelledAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var pidFile = Path.Combine(env.Root, "mcp.pids");
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Api.Responder = _ =>
        {
            requested.TrySetResult();
            return new FakeResponse { Blocks = { FakeBlock.TextBlock("too late") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) };
        };
        var service = ServiceWithStubbornMcpServer(env, pidFile);
        var history = new ChatHistory();
        history.AddUserMessage("hello");
        using var cancellation = new CancellationTokenSource();

        var call = service.GetChatMessageContentAsync(history, cancellationToken: cancellation.Token);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var servers = StartedServers(pidFile);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.NotEmpty(servers);
        await AssertAllEndAsync(servers);
    }

    /// <summary>
    /// A CLI registers itself in its config folder (<c>sessions/PID.json</c>) and removes the entry when it exits; a
    /// killed one cannot. Ending processes must leave the user's Claude Code folder as it was.
    /// </summary>
    [Fact]
    public async Task EndingProcessesLeavesNoSessionEntryInTheClaudeFolderAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var sessions = Path.Combine(env.Home, ".claude", "sessions");
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Api.Responder = request =>
        {
            if (request.LastUserText == "hang")
            {
                requested.TrySetResult();
                return new FakeResponse { Blocks = { FakeBlock.TextBlock("too late") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) };
            }

            return FakeResponse.Text("ECHO: " + request.LastUserText);
        };
        var service = env.CreateService();

        // A live session and a ready process, ended by dispose; and a call cancelled mid-request.
        var history = new ChatHistory();
        history.AddUserMessage("hello");
        await service.GetChatMessageContentAsync(history);
        var hanging = new ChatHistory();
        hanging.AddUserMessage("hang");
        using var cancellation = new CancellationTokenSource();
        var call = service.GetChatMessageContentAsync(hanging, cancellationToken: cancellation.Token);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(Directory.GetFiles(sessions, "*.json"));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await service.DisposeAsync();

        Assert.Empty(Directory.GetFiles(sessions, "*.json"));
    }
}
