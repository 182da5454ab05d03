// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>The service against a scripted transport: what it writes to the CLI and what it makes of the answers.</summary>
public sealed class ScriptedServiceTests
{
    private static ClaudeCodeChatCompletionService CreateService(ScriptedCliConnection connection, out ScriptedConnectionFactory factory, Action<ClaudeCodeOptions>? configure = null, string? modelId = "claude-sonnet-4-5")
    {
        // One scripted connection serves every start here: no ready process may be started beside the call's.
        var options = new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 };
        configure?.Invoke(options);
        factory = new ScriptedConnectionFactory(connection);
        return new ClaudeCodeChatCompletionService(modelId, options, loggerFactory: null, factory);
    }

    private static void AnswerPromptWith(ScriptedCliConnection connection, params string[] lines)
    {
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() != "user")
            {
                return;
            }

            if (line["shouldQuery"]?.GetValue<bool>() == false)
            {
                c.Emit("""{"type":"result","subtype":"success","is_error":false,"num_turns":0,"session_id":"s"}""");
                return;
            }

            foreach (var l in lines)
            {
                c.Emit(l);
            }
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserLinesAskTheCliToTakeThemAsWrittenUnlessTypedInputIsWantedAsync(bool treatMessagesAsTypedInput)
    {
        var connection = new ScriptedCliConnection();
        AnswerPromptWith(connection, CliLines.AssistantText("ok"), CliLines.Success("ok"));
        var service = CreateService(connection, out _, o => o.TreatMessagesAsTypedInput = treatMessagesAsTypedInput);
        var history = new ChatHistory();
        history.AddUserMessage("/cost");
        history.AddAssistantMessage("a1");
        history.AddUserMessage("@notes.txt");

        await service.GetChatMessageContentAsync(history);

        var conversation = connection.Sent.Where(l => l["type"]?.GetValue<string>() is "user" or "assistant").ToList();
        Assert.Equal(3, conversation.Count);
        Assert.All(conversation, line => Assert.Equal(
            line["type"]!.GetValue<string>() == "user" && !treatMessagesAsTypedInput,
            line["client_composed"]?.GetValue<bool>() == true));
    }

    [Fact]
    public async Task HistoryIsReplayedTurnByTurnWaitingForEachAcknowledgementAsync()
    {
        var connection = new ScriptedCliConnection();
        var acknowledged = 0;
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() == "user" && line["shouldQuery"]?.GetValue<bool>() == false)
            {
                // The next history line must not be written before this acknowledgement is read.
                Assert.Equal(acknowledged, c.Sent.Count(l => l["shouldQuery"]?.GetValue<bool>() == false) - 1);
                acknowledged++;
                c.Emit("""{"type":"result","subtype":"success","is_error":false,"num_turns":0,"session_id":"s"}""");
            }
            else if (line["type"]?.GetValue<string>() == "user")
            {
                c.Emit(CliLines.AssistantText("done"));
                c.Emit(CliLines.Success("done"));
            }
        };
        var service = CreateService(connection, out _);
        var history = new ChatHistory("sys");
        history.AddUserMessage("u1");
        history.AddAssistantMessage("a1");
        history.AddUserMessage("u2");
        history.AddAssistantMessage("a2");
        history.AddUserMessage("u3");

        var answer = await service.GetChatMessageContentAsync(history);

        Assert.Equal("done", answer.Content);
        var turns = connection.Sent.Where(l => l["type"]?.GetValue<string>() is "user" or "assistant").ToList();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], turns.Select(l => l["type"]!.GetValue<string>()).ToArray());
        Assert.Equal(["u1", "a1", "u2", "a2", "u3"], turns.Select(l => l["message"]!["content"]![0]!["text"]!.GetValue<string>()).ToArray());
        Assert.Equal([false, false], turns.Where(l => l["type"]!.GetValue<string>() == "user").Take(2).Select(l => l["shouldQuery"]!.GetValue<bool>()).ToArray());
        Assert.Null(turns[^1]["shouldQuery"]);
        Assert.Equal(2, acknowledged);
        Assert.Equal("initialize", connection.Sent[0]["request"]!["subtype"]!.GetValue<string>());

        // A clean turn leaves its process as a live session until the service ends it.
        Assert.False(connection.ShutDown);
        await service.DisposeAsync();
        Assert.True(connection.ShutDown);
        Assert.True(connection.Disposed);
        Assert.False(connection.Aborted);
    }

    [Fact]
    public async Task StreamingMapsDeltasToChunksAndPutsMetadataOnTheLastAsync()
    {
        var connection = new ScriptedCliConnection();
        AnswerPromptWith(connection, CliLines.SystemInit, CliLines.MessageStart, CliLines.ThinkingDelta("hm"), CliLines.AssistantThinking("hm"), CliLines.TextDelta("Hel"), CliLines.TextDelta("lo"), CliLines.AssistantText("Hello"), CliLines.Success("Hello"));
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(4, chunks.Count);
        Assert.Equal("hm", Assert.IsType<StreamingReasoningContent>(Assert.Single(chunks[0].Items)).Text);
        Assert.Equal("Hel", chunks[1].Content);
        Assert.Equal("lo", chunks[2].Content);
        var usage = Assert.IsType<UsageDetails>(chunks[3].Metadata![ClaudeCodeMetadataKeys.Usage]);
        Assert.Equal(133, usage.InputTokenCount);
        Assert.Equal(140, usage.TotalTokenCount);
        Assert.Equal("sess-1", chunks[3].Metadata![ClaudeCodeMetadataKeys.SessionId]);
        Assert.Equal(0.0006, chunks[3].Metadata![ClaudeCodeMetadataKeys.CostUsd]);
        Assert.Equal("claude-sonnet-4-5", chunks[3].ModelId);
    }

    [Fact]
    public async Task AnErrorResultBecomesATypedExceptionCarryingTheResultLineAsync()
    {
        var connection = new ScriptedCliConnection { StderrTail = "last words" };
        AnswerPromptWith(connection, CliLines.SystemInit, CliLines.ErrorResult(503, "API Error: 503 upstream"));
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        var error = await Assert.ThrowsAsync<ClaudeCodeApiException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("\"api_error_status\":503", error.ResultJson, StringComparison.Ordinal);
        Assert.Equal("last words", error.StderrTail);
        Assert.Contains("upstream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputThatEndsWithoutAResultIsAProcessErrorAsync()
    {
        var connection = new ScriptedCliConnection { StderrTail = "killed by OOM" };
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() == "user")
            {
                c.Emit(CliLines.SystemInit);
                c.EndOutput();
            }
        };
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        var error = await Assert.ThrowsAsync<ClaudeCodeProcessException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("killed by OOM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProtocolBreakBecomesAProtocolErrorAndKillsTheProcessAsync()
    {
        var connection = new ScriptedCliConnection();
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() == "user")
            {
                c.EndOutput(new CliProtocolException("not stream-json: {oops", "{oops"));
            }
        };
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        var error = await Assert.ThrowsAsync<ClaudeCodeProtocolException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal("{oops", error.OffendingLine);
        Assert.True(connection.Aborted);
    }

    [Fact]
    public async Task CancellationSendsInterruptThenKillsAsync()
    {
        var connection = new ScriptedCliConnection();
        using var cts = new CancellationTokenSource();
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() == "user")
            {
                c.Emit(CliLines.SystemInit);
                cts.Cancel();
            }
        };
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.GetChatMessageContentAsync(history, cancellationToken: cts.Token));

        Assert.Contains(connection.Sent, l => l["request"]?["subtype"]?.GetValue<string>() == "interrupt");
        Assert.True(connection.Aborted);
        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task AnOldCliIsRefusedWithItsVersionAsync()
    {
        var connection = new ScriptedCliConnection { InitializeAnswer = """{"claude_code_version":"1.0.88","account":{"apiKeySource":"ANTHROPIC_API_KEY","apiProvider":"firstParty"}}""" };
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        var error = await Assert.ThrowsAsync<ClaudeCodeCliVersionException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal("1.0.88", error.FoundVersion);
        Assert.Contains("npm install -g @anthropic-ai/claude-code@latest", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(connection.Sent, l => l["type"]?.GetValue<string>() == "user");
    }

    [Theory]
    [InlineData("""{"tokenSource":"none","apiProvider":"firstParty"}""", true)]
    [InlineData("""{"tokenSource":"none","apiKeySource":"ANTHROPIC_API_KEY","apiProvider":"firstParty"}""", false)]
    [InlineData("""{"tokenSource":"CLAUDE_CODE_OAUTH_TOKEN","apiProvider":"firstParty"}""", false)]
    [InlineData("""{"tokenSource":"none","apiProvider":"bedrock"}""", false)]
    public async Task MissingCredentialsAreDetectedAtInitializeAsync(string account, bool refused)
    {
        var connection = new ScriptedCliConnection { InitializeAnswer = $$"""{"claude_code_version":"2.1.328","account":{{account}}}""" };
        AnswerPromptWith(connection, CliLines.AssistantText("ok"), CliLines.Success("ok"));
        var service = CreateService(connection, out _);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        if (refused)
        {
            await Assert.ThrowsAsync<ClaudeCodeNotLoggedInException>(() => service.GetChatMessageContentAsync(history));
        }
        else
        {
            Assert.Equal("ok", (await service.GetChatMessageContentAsync(history)).Content);
        }
    }

    [Fact]
    public async Task ALongSystemPromptIsPassedByFileAndTheFileIsDeletedAfterwardsAsync()
    {
        var connection = new ScriptedCliConnection();
        AnswerPromptWith(connection, CliLines.AssistantText("ok"), CliLines.Success("ok"));
        var service = CreateService(connection, out var factory, o => o.SystemPromptFileThreshold = 10);
        var history = new ChatHistory("a system prompt longer than ten characters");
        history.AddUserMessage("hi");
        string? seen = null;
        connection.OnSend += (_, line) =>
        {
            var argument = factory.Specs[0].Arguments.Single(a => a.StartsWith("--system-prompt-file=", StringComparison.Ordinal));
            seen ??= File.ReadAllText(argument["--system-prompt-file=".Length..]);
        };

        await service.GetChatMessageContentAsync(history);

        var file = factory.Specs[0].Arguments.Single(a => a.StartsWith("--system-prompt-file=", StringComparison.Ordinal))["--system-prompt-file=".Length..];
        Assert.Equal("a system prompt longer than ten characters", seen);
        Assert.False(File.Exists(file));
        Assert.DoesNotContain(factory.Specs[0].Arguments, a => a.StartsWith("--system-prompt=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheModelOfTheSettingsOverridesTheServiceModelAsync()
    {
        var connection = new ScriptedCliConnection();
        AnswerPromptWith(connection, CliLines.AssistantText("ok"), CliLines.Success("ok"));
        var service = CreateService(connection, out var factory);
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        await service.GetChatMessageContentAsync(history, new PromptExecutionSettings { ModelId = "claude-opus-4-1" });

        Assert.Contains("--model=claude-opus-4-1", factory.Specs[0].Arguments);
        Assert.Equal("claude-sonnet-4-5", service.Attributes[Microsoft.SemanticKernel.Services.AIServiceExtensions.ModelIdKey]);
    }
}
