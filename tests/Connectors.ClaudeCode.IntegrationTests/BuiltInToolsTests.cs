// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Claude Code's own tools (ClaudeCodeOptions.BuiltInTools), each call decided by the app's ToolPermission callback.</summary>
public sealed class BuiltInToolsTests
{
    private const string Secret = "the launch code is 0000";

    /// <summary>The model reads <paramref name="path"/> with the built-in Read tool, then reports the tool's result.</summary>
    private static Func<RecordedRequest, FakeResponse> ReadThenReport(string path)
        => request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Reading.", ("toolu_read", "Read", JsonSerializer.Serialize(new { file_path = path })))
            : FakeResponse.ReportToolResult(request);

    private static ChatHistory Ask(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    private static string WriteSecret(CliTestEnvironment env, string name = "notes.txt")
    {
        var path = Path.Combine(env.WorkingDirectory, name);
        File.WriteAllText(path, Secret);
        return path;
    }

    [Fact]
    public async Task AnAllowedReadSendsTheFileToTheModelAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        var asked = new ConcurrentQueue<ClaudeCodeToolPermissionRequest>();
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (request, _) =>
            {
                asked.Enqueue(request);
                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow());
            };
        });

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.StartsWith("RESULT error=False", answer.Content, StringComparison.Ordinal);
        Assert.Contains(Secret, answer.Content, StringComparison.Ordinal);
        var request = Assert.Single(asked);
        Assert.Equal(("Read", "toolu_read", path), (request.ToolName, request.ToolUseId, request.Input.GetProperty("file_path").GetString()));
        Assert.Equal(["Read"], env.Api.MessageRequests[0].ToolNames.ToArray());

        // The caller sees what already ran, as calls it must not run again.
        var calls = Assert.IsAssignableFrom<IReadOnlyList<FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.BuiltInToolCalls]);
        var call = Assert.Single(calls);
        Assert.Equal(("Read", "toolu_read", path), (call.FunctionName, call.Id, call.Arguments!["file_path"]!.ToString()));
        Assert.Equal(true, call.Metadata!["Allowed"]);
        Assert.Equal(false, call.Metadata["IsError"]);
        Assert.Contains(Secret, (string)call.Metadata["Result"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeniedReadSendsTheReasonAndNotTheFileAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (_, _) => ValueTask.FromResult(ClaudeCodeToolPermissionResult.Deny("Not this file, sorry."));
        });

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.Equal("RESULT error=True: Not this file, sorry.", answer.Content);
        var call = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.BuiltInToolCalls]));
        Assert.Equal((false, true, "Not this file, sorry."), ((bool)call.Metadata!["Allowed"]!, (bool)call.Metadata["IsError"]!, (string)call.Metadata["Result"]!));
        Assert.DoesNotContain(env.Api.MessageRequests, r => r.BodyText.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(2, env.Api.MessageRequests.Count);
    }

    [Fact]
    public async Task WithoutACallbackEveryCallIsDeniedNamingTheOptionAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        using var logs = new ListLoggerProvider();
        var options = env.CreateOptions();
        options.BuiltInTools.Add("Read");
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));

        // Said once, when the service is made, before any call is refused.
        Assert.Contains("Warning: ClaudeCodeOptions.BuiltInTools names Read but no ClaudeCodeOptions.ToolPermission callback is set: every call of them will be denied.", logs.Messages);

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.StartsWith("RESULT error=True: Denied:", answer.Content, StringComparison.Ordinal);
        Assert.Contains("ClaudeCodeOptions.ToolPermission", answer.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(env.Api.MessageRequests, r => r.BodyText.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACallbackThatThrowsDeniesTheCallLogsAWarningAndTheTurnGoesOnAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        using var logs = new ListLoggerProvider();
        var options = env.CreateOptions();
        options.BuiltInTools.Add("Read");
        options.ToolPermission = (_, _) => throw new InvalidOperationException("policy store offline");
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.StartsWith("RESULT error=True: Denied:", answer.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(env.Api.MessageRequests, r => r.BodyText.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning: ClaudeCodeOptions.ToolPermission threw for Read call toolu_read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEditedInputIsWhatRunsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var asked = WriteSecret(env);
        var other = Path.Combine(env.WorkingDirectory, "public.txt");
        File.WriteAllText(other, "nothing to see here");
        env.Api.Responder = ReadThenReport(asked);
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (request, _) => ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow(JsonSerializer.SerializeToElement(new { file_path = other })));
        });

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.StartsWith("RESULT error=False", answer.Content, StringComparison.Ordinal);
        Assert.Contains("nothing to see here", answer.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(env.Api.MessageRequests, r => r.BodyText.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRequestOffersExactlyTheListedToolsBesideKernelFunctionsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => FakeResponse.Text("ok");
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "noon", "Now")]);
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.BuiltInTools.Add("Grep");
        });

        await service.GetChatMessageContentAsync(Ask("hi"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);
        await service.GetChatMessageContentAsync(Ask("hi again"));

        Assert.Equal(["Grep", "Read", "mcp__kernel__Clock-Now"], env.Api.MessageRequests[0].ToolNames.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["Grep", "Read"], env.Api.MessageRequests[1].ToolNames.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task ABuiltInCallBesideAKernelFunctionRunsInTheCliAndStaysOutOfTheHistoryAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_read", "Read", JsonSerializer.Serialize(new { file_path = path })), ("toolu_now", "mcp__kernel__Clock-Now", "{}"))
            : FakeResponse.Text("RESULTS: " + string.Join(" | ", request.LastToolResults.Select(r => r["tool_use_id"] + "=" + RecordedRequest.ResultText(r))));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "noon", "Now")]);
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (_, _) => ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow());
        });
        var history = Ask("time and notes?");

        var answer = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Contains("toolu_now=noon", answer.Content, StringComparison.Ordinal);
        Assert.Contains(Secret, answer.Content, StringComparison.Ordinal);

        // The caller's history holds the kernel function's call and result only: the built-in call is no call to run.
        var call = Assert.Single(history.SelectMany(m => m.Items).OfType<FunctionCallContent>());
        Assert.Equal(("toolu_now", "Now"), (call.Id, call.FunctionName));
        Assert.Equal("toolu_now", Assert.Single(history.SelectMany(m => m.Items).OfType<FunctionResultContent>()).CallId);
        var builtIn = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.BuiltInToolCalls]));
        Assert.Equal("toolu_read", builtIn.Id);
    }

    [Fact]
    public async Task AFollowUpOnTheLiveSessionStreamsAndAsksTheCallbackAgainAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = request => request.LastToolResults.Count == 0 && request.LastUserText.Contains("notes", StringComparison.Ordinal)
            ? FakeResponse.ToolCalls(null, ("toolu_" + request.Messages.Count, "Read", JsonSerializer.Serialize(new { file_path = path })))
            : FakeResponse.Text("RESULT: " + (request.LastToolResults.Count > 0 ? RecordedRequest.ResultText(request.LastToolResults[0]) : "none"));
        var asked = new ConcurrentQueue<string>();
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (request, _) =>
            {
                asked.Enqueue(request.ToolUseId!);
                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow());
            };
        });
        var history = Ask("read the notes");
        history.Add(await service.GetChatMessageContentAsync(history));
        history.AddUserMessage("read the notes again");

        var text = new System.Text.StringBuilder();
        StreamingChatMessageContent? last = null;
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
        {
            text.Append(chunk.Content);
            last = chunk;
        }

        Assert.Contains(Secret, text.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, asked.Count);
        Assert.Equal(2, asked.Distinct().Count());
        var requests = env.Api.MessageRequests;
        Assert.Equal(4, requests.Count);
        Assert.Equal(requests[0].CliSessionId, requests[^1].CliSessionId);
        var call = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<FunctionCallContent>>(last!.Metadata![ClaudeCodeMetadataKeys.BuiltInToolCalls]));
        Assert.Equal(asked.Last(), call.Id);
    }

    [Fact]
    public async Task TheChatClientReportsBuiltInCallsAsInformationalOnlyAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        var options = env.CreateOptions();
        options.BuiltInTools.Add("Read");
        options.ToolPermission = (_, _) => ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow());
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, options);

        var response = await client.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "What is in notes.txt?")]);

        Assert.Contains(Secret, response.Text, StringComparison.Ordinal);
        var calls = Assert.IsAssignableFrom<IReadOnlyList<Microsoft.Extensions.AI.FunctionCallContent>>(response.AdditionalProperties![ClaudeCodeMetadataKeys.BuiltInToolCalls]);
        var call = Assert.Single(calls);
        Assert.True(call.InformationalOnly);
        Assert.Equal(("toolu_read", "Read", (object?)true), (call.CallId, call.Name, call.AdditionalProperties!["Allowed"]));

        // In the message the call is informational only, nothing for a function-invoking client to run again, and
        // its result is beside it.
        var shown = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>());
        Assert.True(shown.InformationalOnly);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>());
        Assert.Equal("toolu_read", result.CallId);
        Assert.Contains(Secret, result.Result?.ToString(), StringComparison.Ordinal);

        // The response goes back into the history as an agent would add it: the records are left out of the request.
        List<Microsoft.Extensions.AI.ChatMessage> history = [new(Microsoft.Extensions.AI.ChatRole.User, "What is in notes.txt?"), .. response.Messages, new(Microsoft.Extensions.AI.ChatRole.User, "Thanks.")];
        env.Api.Responder = _ => FakeResponse.Text("You are welcome.");
        var next = await client.GetResponseAsync(history);
        Assert.Equal("You are welcome.", next.Text);
        Assert.Equal("Thanks.", RecordedRequest.TextOf(env.Api.MessageRequests[^1].Messages[^1]));
    }

    [Fact]
    public async Task AnAllowRuleInTheUsersSettingsDoesNotBypassTheCallbackAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var path = WriteSecret(env);
        env.Api.Responder = ReadThenReport(path);
        var claude = Directory.CreateDirectory(Path.Combine(env.Home, ".claude")).FullName;
        File.WriteAllText(Path.Combine(claude, "settings.json"), """{"permissions":{"allow":["Read"]}}""");
        var service = env.CreateService(configure: o =>
        {
            o.IgnoreUserSettings = false;
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (_, _) => ValueTask.FromResult(ClaudeCodeToolPermissionResult.Deny("No."));
        });

        var answer = await service.GetChatMessageContentAsync(Ask("What is in notes.txt?"));

        Assert.Equal("RESULT error=True: No.", answer.Content);
        Assert.DoesNotContain(env.Api.MessageRequests, r => r.BodyText.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Write")]
    [InlineData("Bash")]
    public async Task ToolsThatWriteFilesWaitForTheCallbackTooAsync(string tool)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var target = Path.Combine(env.WorkingDirectory, "created.txt");
        var input = tool == "Write"
            ? JsonSerializer.Serialize(new { file_path = target, content = "written" })
            : JsonSerializer.Serialize(new { command = "echo written > created.txt", description = "Create a file" });
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_change", tool, input))
            : FakeResponse.Text("RESULT: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var asked = new ConcurrentQueue<string>();
        var service = env.CreateService(configure: o =>
        {
            o.BuiltInTools.Add(tool);
            o.ToolPermission = (request, _) =>
            {
                asked.Enqueue(request.ToolName);
                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Deny("Read-only here."));
            };
        });

        var answer = await service.GetChatMessageContentAsync(Ask("create a file"));

        Assert.Equal([tool], asked.ToArray());
        Assert.Equal("RESULT: Read-only here.", answer.Content);
        Assert.False(File.Exists(target));
    }
}
