// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

/// <summary>How a request's MCP servers become the CLI's configuration and the rules of the permission path.</summary>
public sealed class McpServerSettingsTests
{
    private static HostedMcpServer One(ClaudeCodeMcpServer server) => Assert.Single(HostedMcpServer.From([server]));

    [Fact]
    public void HeaderValuesTravelInTheEnvironmentNotOnTheCommandLine()
    {
        var server = One(new ClaudeCodeMcpServer
        {
            Name = "docs",
            Url = new Uri("https://mcp.test/mcp"),
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer top-secret" },
        });

        var (json, environment) = HostedMcpServer.ConfigJson([server]);

        Assert.DoesNotContain("top-secret", json, StringComparison.Ordinal);
        var entry = JsonNode.Parse(json)!["mcpServers"]!["docs"]!;
        Assert.Equal(("http", "https://mcp.test/mcp"), (entry["type"]!.GetValue<string>(), entry["url"]!.GetValue<string>()));
        var reference = entry["headers"]!["Authorization"]!.GetValue<string>();
        var variable = Assert.Single(environment);
        Assert.Equal("${" + variable.Key + "}", reference);
        Assert.Equal("Bearer top-secret", variable.Value);
    }

    [Fact]
    public void AMcpRequestGetsItsConfigStrictModeAndThePermissionPrompt()
    {
        var request = new ChatTurnRequest([], new CliInputMessage(false, []))
        {
            McpServers = HostedMcpServer.From([new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("http://127.0.0.1:9/mcp") }]),
        };

        var args = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), request, "/bin/claude", null, null).Arguments;

        Assert.Contains(args, a => a.StartsWith("--mcp-config={\"mcpServers\":{\"docs\"", StringComparison.Ordinal));
        Assert.Contains("--strict-mcp-config", args);
        Assert.Contains("--permission-prompt-tool=stdio", args);
        Assert.Null(PerTurnSettings.TryCreate(request));
    }

    [Theory]
    [InlineData(ClaudeCodeMcpApproval.Always, null, null, true, true)]
    [InlineData(ClaudeCodeMcpApproval.Never, null, null, false, false)]
    [InlineData(ClaudeCodeMcpApproval.Always, null, "echo", false, true)]
    [InlineData(ClaudeCodeMcpApproval.Never, "secret", null, false, true)]
    [InlineData(ClaudeCodeMcpApproval.Never, "echo", "echo", true, false)]
    public void ApprovalFollowsTheModeAndItsExceptions(ClaudeCodeMcpApproval mode, string? always, string? never, bool echoNeedsApproval, bool secretNeedsApproval)
    {
        var server = One(new ClaudeCodeMcpServer
        {
            Name = "docs",
            Url = new Uri("http://127.0.0.1:9/mcp"),
            RequireApproval = mode,
            AlwaysRequireApprovalTools = always is null ? null : [always],
            NeverRequireApprovalTools = never is null ? null : [never],
        });

        Assert.Equal((echoNeedsApproval, secretNeedsApproval), (server.NeedsApproval("echo"), server.NeedsApproval("secret")));
    }

    [Fact]
    public void AllowedToolsLimitWhatRuns()
    {
        var all = One(new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("http://127.0.0.1:9/mcp") });
        var some = One(new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("http://127.0.0.1:9/mcp"), AllowedTools = ["echo"] });

        Assert.True(all.Allows("secret"));
        Assert.True(some.Allows("echo"));
        Assert.False(some.Allows("secret"));
        Assert.Equal("mcp__docs__", some.ModelPrefix);
    }

    [Theory]
    [InlineData("kernel", "http://127.0.0.1:9/mcp")]
    [InlineData("a.b", "http://127.0.0.1:9/mcp")]
    [InlineData("", "http://127.0.0.1:9/mcp")]
    [InlineData("docs", "file:///tmp/x")]
    public void BadServersAreRefused(string name, string url)
    {
        Assert.Throws<ArgumentException>(() => HostedMcpServer.From([new ClaudeCodeMcpServer { Name = name, Url = new Uri(url) }]));
    }

    [Fact]
    public void TwoServersWithOneNameAreRefused()
    {
        var server = new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("http://127.0.0.1:9/mcp") };

        Assert.Throws<ArgumentException>(() => HostedMcpServer.From([server, server.Clone()]));
    }

    [Fact]
    public void AHostedMcpServerToolBecomesTheSettingWithItsApprovalMode()
    {
        var options = new ChatOptions
        {
            Tools =
            [
                new HostedMcpServerTool("docs", "https://mcp.test/mcp")
                {
                    AllowedTools = ["echo", "secret"],
                    ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["secret"], ["echo"]),
                    Headers = new Dictionary<string, string> { ["X-Key"] = "k" },
                },
                new HostedMcpServerTool("other", new Uri("https://other.test/mcp")) { ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire },
                new HostedMcpServerTool("strict", new Uri("https://strict.test/mcp")),
            ],
        };

        var servers = ChatClientConversions.ToSettings(options).McpServers!;

        Assert.Equal(["docs", "other", "strict"], servers.Select(s => s.Name));
        var docs = servers[0];
        Assert.Equal(("https://mcp.test/mcp", "k"), (docs.Url!.AbsoluteUri, docs.Headers!["X-Key"]));
        Assert.Equal(["echo", "secret"], docs.AllowedTools!);
        var rules = One(docs);
        Assert.Equal((false, true), (rules.NeedsApproval("echo"), rules.NeedsApproval("secret")));
        Assert.False(One(servers[1]).NeedsApproval("anything"));

        // No approval mode: every call needs approval.
        Assert.True(One(servers[2]).NeedsApproval("anything"));

        // Hosted tools are the CLI's to run: nothing for the caller to invoke.
        Assert.Null(ChatClientConversions.ToPlan(options));
    }
}
