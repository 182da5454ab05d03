// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class CliArgumentsBuilderTests
{
    private static ChatTurnRequest Request(string? model = null, string? system = null)
        => new([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }])) { ModelId = model, SystemPrompt = system };

    [Fact]
    public void DefaultsIsolateTheCallFromTheUsersClaudeCode()
    {
        var spec = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), Request(), "/bin/claude", null, null);

        Assert.Equal(["--output-format", "stream-json", "--verbose", "--input-format", "stream-json", "--include-partial-messages"], spec.Arguments.GetRange(0, 6).ToArray());
        Assert.Contains("--tools=", spec.Arguments);
        Assert.Contains("--setting-sources=", spec.Arguments);
        Assert.Contains("--no-session-persistence", spec.Arguments);
        Assert.Contains("--system-prompt=", spec.Arguments);
        Assert.DoesNotContain(spec.Arguments, a => a.StartsWith("--model", System.StringComparison.Ordinal));
        Assert.Equal("1", spec.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"]);
        Assert.Equal("false", spec.Environment["ENABLE_TOOL_SEARCH"]);
        Assert.True(spec.Environment.ContainsKey("CLAUDECODE"));
        Assert.Null(spec.Environment["CLAUDECODE"]);
        Assert.False(spec.Environment.ContainsKey("CLAUDE_CODE_MAX_RETRIES"));
    }

    [Fact]
    public void OptionsTurnTheIsolationOffAndAddModelRetriesAndExtras()
    {
        var options = new ClaudeCodeOptions
        {
            DisableBuiltInTools = false,
            IgnoreUserSettings = false,
            PersistSessions = true,
            DisableNonEssentialTraffic = false,
            MaxRetries = 3,
            WorkingDirectory = "/tmp/work",
        };
        options.AdditionalCliArguments.Add("--betas=context-1m-2025-08-07");
        options.EnvironmentVariables["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:1";

        var spec = CliArgumentsBuilder.Build(options, Request("sonnet", "-be brief"), "/bin/claude", null, null);

        Assert.DoesNotContain("--tools=", spec.Arguments);
        Assert.DoesNotContain("--setting-sources=", spec.Arguments);
        Assert.DoesNotContain("--no-session-persistence", spec.Arguments);
        Assert.Contains("--model=sonnet", spec.Arguments);
        Assert.Contains("--system-prompt=-be brief", spec.Arguments);
        Assert.Equal("--betas=context-1m-2025-08-07", spec.Arguments[^1]);
        Assert.Equal("3", spec.Environment["CLAUDE_CODE_MAX_RETRIES"]);
        Assert.Equal("http://127.0.0.1:1", spec.Environment["ANTHROPIC_BASE_URL"]);
        Assert.False(spec.Environment.ContainsKey("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"));
        Assert.Equal("/tmp/work", spec.WorkingDirectory);
    }
}
