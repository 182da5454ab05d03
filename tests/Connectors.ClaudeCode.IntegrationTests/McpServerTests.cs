// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// A request's remote MCP servers (the McpServers setting, MEAI's HostedMcpServerTool) on the pinned CLI, against a
/// real MCP server on loopback: the CLI connects to it, the model's calls pass the connector's permission path, run
/// on the server, and reach the caller as calls that already ran.
/// </summary>
public sealed class McpServerTests
{
    /// <summary>The model calls <paramref name="tool"/> of the server "docs" once, then reports what the tool returned.</summary>
    private static Func<RecordedRequest, FakeResponse> CallThenReport(string tool, string inputJson = "{}")
        => request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Calling.", ("toolu_mcp", "mcp__docs__" + tool, inputJson))
            : FakeResponse.ReportToolResult(request);

    private static ChatHistory Ask(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    private static ClaudeCodePromptExecutionSettings WithServer(LoopbackMcpServer server, Action<ClaudeCodeMcpServer>? configure = null)
    {
        var docs = new ClaudeCodeMcpServer { Name = "docs", Url = server.Url };
        configure?.Invoke(docs);
        return new ClaudeCodePromptExecutionSettings { McpServers = [docs] };
    }

    /// <summary>Settings naming one server at a loopback port where no MCP server answers.</summary>
    private static ClaudeCodePromptExecutionSettings ServerAt(string name, int port)
        => new() { McpServers = [new ClaudeCodeMcpServer { Name = name, Url = new Uri($"http://127.0.0.1:{port}/mcp") }] };

    [Fact]
    public async Task TheCliCallsTheServerWithItsHeadersAndTheCallerSeesTheCallAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        env.Api.Responder = CallThenReport("echo", """{"text":"hi"}""");
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("Echo hi."), WithServer(server, s =>
        {
            s.RequireApproval = ClaudeCodeMcpApproval.Never;
            s.Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer mcp-token", ["X-Test"] = "1" };
        }));

        // The server's tools reached the API; the call ran on the server and its result went back to the model.
        Assert.Equal(["mcp__docs__echo", "mcp__docs__secret"], env.Api.MessageRequests[0].ToolNames.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["echo:hi"], server.Calls.ToArray());
        Assert.Equal("RESULT error=False: echo: hi", answer.Content);
        Assert.NotEmpty(server.RequestHeaders);
        Assert.All(server.RequestHeaders, h => Assert.Equal(("Bearer mcp-token", "1"), (h["Authorization"], h["X-Test"])));

        var call = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<Microsoft.SemanticKernel.FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.McpServerToolCalls]));
        Assert.Equal(("echo", "docs", "toolu_mcp", "hi"), (call.FunctionName, call.PluginName, call.Id, call.Arguments!["text"]!.ToString()));
        Assert.Equal((true, "echo: hi", false), ((bool?)call.Metadata!["Allowed"], (string?)call.Metadata["Result"], (bool?)call.Metadata["IsError"]));
        Assert.False(answer.Metadata.ContainsKey(ClaudeCodeMetadataKeys.BuiltInToolCalls));
    }

    [Fact]
    public async Task WithoutACallbackACallThatNeedsApprovalIsRefusedAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        env.Api.Responder = CallThenReport("echo", """{"text":"hi"}""");
        var service = env.CreateService();

        // Approval is the default.
        var answer = await service.GetChatMessageContentAsync(Ask("Echo hi."), WithServer(server));

        Assert.StartsWith("RESULT error=True: Denied: calls of this MCP server's tool need the app's approval", answer.Content, StringComparison.Ordinal);
        Assert.Empty(server.Calls);
        var call = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<Microsoft.SemanticKernel.FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.McpServerToolCalls]));
        Assert.Equal(false, call.Metadata!["Allowed"]);
    }

    [Fact]
    public async Task TheCallbackApprovesEditsOrDeniesEachCallAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        var asked = new List<string>();
        var service = env.CreateService(configure: o => o.ToolPermission = (request, _) =>
        {
            lock (asked)
            {
                asked.Add($"{request.McpServerName}/{request.ToolName}:{request.Input.GetRawText()}");
            }

            return ValueTask.FromResult(request.ToolName == "echo"
                ? ClaudeCodeToolPermissionResult.Allow(System.Text.Json.JsonSerializer.SerializeToElement(new { text = "edited" }))
                : ClaudeCodeToolPermissionResult.Deny("Not the secret."));
        });

        env.Api.Responder = CallThenReport("echo", """{"text":"hi"}""");
        var echoed = await service.GetChatMessageContentAsync(Ask("Echo hi."), WithServer(server));
        env.Api.Responder = CallThenReport("secret");
        var refused = await service.GetChatMessageContentAsync(Ask("The secret?"), WithServer(server));

        Assert.Equal(["docs/echo:{\"text\":\"hi\"}", "docs/secret:{}"], asked);
        Assert.Equal("RESULT error=False: echo: edited", echoed.Content);
        Assert.Equal("RESULT error=True: Not the secret.", refused.Content);
        Assert.Equal(["echo:edited"], server.Calls.ToArray());
    }

    [Fact]
    public async Task OnlyTheAllowedToolsRunAndSpecificToolsSkipApprovalAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        var service = env.CreateService();
        var settings = WithServer(server, s =>
        {
            s.AllowedTools = ["echo"];
            s.NeverRequireApprovalTools = ["echo"];
        });

        env.Api.Responder = CallThenReport("secret");
        var refused = await service.GetChatMessageContentAsync(Ask("The secret?"), settings);
        env.Api.Responder = CallThenReport("echo", """{"text":"ok"}""");
        var echoed = await service.GetChatMessageContentAsync(Ask("Echo ok."), settings);

        // The model is not offered the tool; a call it makes anyway is refused.
        Assert.All(env.Api.MessageRequests, r => Assert.Equal(["mcp__docs__echo"], r.ToolNames.ToArray()));
        Assert.StartsWith("RESULT error=True", refused.Content, StringComparison.Ordinal);
        Assert.Equal("RESULT error=False: echo: ok", echoed.Content);
        Assert.Equal(["echo:ok"], server.Calls.ToArray());
    }

    [Fact]
    public async Task TheUsersOwnMcpServersStayOutEvenWhenItsSettingsAreReadAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        var marker = System.IO.Path.Combine(env.Root, "user-mcp-ran");
        // The CLI's global config lives in CLAUDE_CONFIG_DIR, which the test environment points into its HOME.
        await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(System.IO.Directory.CreateDirectory(System.IO.Path.Combine(env.Home, ".claude")).FullName, ".claude.json"), $$"""
            { "mcpServers": { "user-server": { "command": "sh", "args": ["-c", "touch {{marker}}; sleep 30"] } } }
            """);
        await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(env.WorkingDirectory, ".mcp.json"), $$"""
            { "mcpServers": { "project-server": { "command": "sh", "args": ["-c", "touch {{marker}}; sleep 30"] } } }
            """);
        env.Api.Responder = _ => FakeResponse.Text("ok");
        var service = env.CreateService(configure: o =>
        {
            o.IgnoreUserSettings = false;
            o.BareMode = ClaudeCodeBareMode.Never;
        });

        await service.GetChatMessageContentAsync(Ask("Hi."), WithServer(server));

        Assert.Equal(["mcp__docs__echo", "mcp__docs__secret"], env.Api.MessageRequests[0].ToolNames.Order(StringComparer.Ordinal).ToArray());
        Assert.False(System.IO.File.Exists(marker));
    }

    [Fact]
    public async Task HidingAServersToolsKeepsTheBuiltInToolsUnderTheCallbackAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        var path = System.IO.Path.Combine(env.WorkingDirectory, "notes.txt");
        await System.IO.File.WriteAllTextAsync(path, "note");
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Reading.", ("toolu_read", "Read", System.Text.Json.JsonSerializer.Serialize(new { file_path = path })))
            : FakeResponse.ReportToolResult(request);
        var asked = new List<string>();
        var service = env.CreateService(configure: o =>
        {
            o.BareMode = ClaudeCodeBareMode.Never;
            o.BuiltInTools.Add("Read");
            o.ToolPermission = (request, _) =>
            {
                lock (asked)
                {
                    asked.Add(request.ToolName);
                }

                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Deny("Not now."));
            };
        });

        var answer = await service.GetChatMessageContentAsync(Ask("Read notes.txt."), WithServer(server, s => s.AllowedTools = ["echo"]));

        // The rule that hides "secret" did not replace the rule that sends every Read to the callback.
        Assert.Equal(["Read", "mcp__docs__echo"], env.Api.MessageRequests[0].ToolNames.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["Read"], asked);
        Assert.Equal("RESULT error=True: Not now.", answer.Content);
    }

    [Fact]
    public async Task TheChatClientShowsMcpCallsThatNoFunctionInvokerRunsAgainAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        env.Api.Responder = CallThenReport("echo", """{"text":"hi"}""");
        using var inner = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, env.CreateOptions());
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var options = new ChatOptions
        {
            Tools = [new HostedMcpServerTool("docs", server.Url) { ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire, Headers = new Dictionary<string, string> { ["X-Test"] = "meai" } }],
        };

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Echo hi.")], options);

        Assert.Equal("RESULT error=False: echo: hi", response.Text);
        Assert.Equal(["echo:hi"], server.Calls.ToArray());
        Assert.NotEmpty(server.RequestHeaders);
        Assert.All(server.RequestHeaders, h => Assert.Equal("meai", h["X-Test"]));
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Equal(("toolu_mcp", "echo", "docs", "hi"), (call.CallId, call.Name, call.ServerName, call.Arguments!["text"]!.ToString()));
        var result = Assert.Single(contents.OfType<McpServerToolResultContent>());
        Assert.Equal("echo: hi", Assert.IsType<Microsoft.Extensions.AI.TextContent>(Assert.Single(result.Outputs!)).Text);
        Assert.Empty(contents.OfType<Microsoft.Extensions.AI.FunctionCallContent>());

        // Streamed: the call when the model made it, then its result, before the answer.
        server.Calls.Clear();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Echo hi.")], options))
        {
            updates.Add(update);
        }

        var sequence = updates.SelectMany(u => u.Contents).Select(c => c switch
        {
            McpServerToolCallContent => "call",
            McpServerToolResultContent => "result",
            Microsoft.Extensions.AI.TextContent { Text.Length: > 0 } => "text",
            _ => null,
        }).OfType<string>().ToList();
        Assert.Single(sequence, "call");
        Assert.Single(sequence, "result");
        Assert.True(sequence.IndexOf("call") < sequence.IndexOf("result") && sequence.LastIndexOf("text") > sequence.IndexOf("result"), string.Join(",", sequence));
        Assert.Equal(["echo:hi"], server.Calls.ToArray());

        // The response goes back into the history: the records are left out, the conversation goes on.
        List<ChatMessage> history = [new(ChatRole.User, "Echo hi."), .. response.Messages, new(ChatRole.User, "Thanks.")];
        env.Api.Responder = _ => FakeResponse.Text("Welcome.");
        Assert.Equal("Welcome.", (await client.GetResponseAsync(history, options)).Text);
    }

    [Fact]
    public async Task StreamingShowsTheCallAndItsResultAsItemsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        env.Api.Responder = CallThenReport("echo", """{"text":"hi"}""");
        var service = env.CreateService();

        var items = new List<StreamingClaudeCodeToolCallContent>();
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("Echo hi."), WithServer(server, s => s.RequireApproval = ClaudeCodeMcpApproval.Never)))
        {
            items.AddRange(chunk.Items.OfType<StreamingClaudeCodeToolCallContent>());
            text.Append(chunk.Content);
        }

        Assert.Equal(2, items.Count);
        Assert.Equal(("docs", "echo", "toolu_mcp"), (items[0].Call.PluginName, items[0].Call.FunctionName, items[0].Call.Id));
        Assert.Null(items[0].Result);
        Assert.Equal("echo: hi", items[1].Result!.Result);
        Assert.EndsWith("RESULT error=False: echo: hi", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConversationWithTheSameServersGoesOnInItsProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var server = await LoopbackMcpServer.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0 && request.Messages.Count == 1
            ? FakeResponse.ToolCalls("Calling.", ("toolu_mcp", "mcp__docs__echo", """{"text":"hi"}"""))
            : request.LastToolResults.Count > 0 ? FakeResponse.ReportToolResult(request) : FakeResponse.Text("again");
        var service = env.CreateService();
        var settings = WithServer(server, s => s.RequireApproval = ClaudeCodeMcpApproval.Never);
        var history = Ask("Echo hi.");

        history.Add(await service.GetChatMessageContentAsync(history, settings));
        history.AddUserMessage("And now?");
        var next = await service.GetChatMessageContentAsync(history, settings);

        Assert.Equal("again", next.Content);
        var requests = env.Api.MessageRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(requests[0].CliSessionId, requests[^1].CliSessionId);

        // The continuation sent only the new message, after the call and its result the model saw in the first turn.
        Assert.Contains(requests[^1].Messages, m => m.ToJsonString().Contains("toolu_mcp", StringComparison.Ordinal));
        Assert.Equal("And now?", RecordedRequest.TextOf(requests[^1].Messages[^1]));
    }

    [Fact]
    public async Task BadServerSettingsThrowBeforeAnyProcessStartsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();

        foreach (var server in new[]
        {
            new ClaudeCodeMcpServer { Name = "kernel", Url = new Uri("http://127.0.0.1:1/mcp") },
            new ClaudeCodeMcpServer { Name = "has space", Url = new Uri("http://127.0.0.1:1/mcp") },
            new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("/relative", UriKind.Relative) },
            new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("ftp://127.0.0.1/mcp") },
        })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentAsync(Ask("Hi."), new ClaudeCodePromptExecutionSettings { McpServers = [server] }));
            Assert.Contains("MCP server", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(env.Api.Requests);
    }

    [Fact]
    public async Task AServerThatCannotBeReachedIsATypedErrorBeforeAnyRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var service = env.CreateService();

        var error = await Assert.ThrowsAsync<ClaudeCodeMcpServerException>(() => service.GetChatMessageContentAsync(
            Ask("Echo hi."),
            ServerAt("docs", port)));

        Assert.Equal(("docs", "failed"), (error.ServerName, error.Status));
        Assert.Contains("'docs'", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.MessageRequests);
    }

    [Fact]
    public async Task AServerThatNeverAnswersEndsTheCallAtTheConnectTimeoutAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();

        // Accepts connections and never answers.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var service = env.CreateService(configure: o => o.McpConnectTimeout = TimeSpan.FromSeconds(2));

            var error = await Assert.ThrowsAsync<ClaudeCodeMcpServerException>(() => service.GetChatMessageContentAsync(
                Ask("Echo hi."),
                ServerAt("slow", port)));

            Assert.Equal(("slow", "pending"), (error.ServerName, error.Status));
            Assert.Contains("McpConnectTimeout", error.Message, StringComparison.Ordinal);
            Assert.Empty(env.Api.MessageRequests);
        }
        finally
        {
            listener.Stop();
        }
    }
}
