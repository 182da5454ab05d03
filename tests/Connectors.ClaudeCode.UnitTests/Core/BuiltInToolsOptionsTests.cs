// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

/// <summary>ClaudeCodeOptions.BuiltInTools: checked when the service is made, and turned into the CLI's flags.</summary>
public sealed class BuiltInToolsOptionsTests
{
    private static ChatTurnRequest Request()
        => new([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }]));

    private static ClaudeCodeOptions WithTools(params string[] tools)
    {
        // A CLI path that cannot exist: constructing the service must not need (or start) one.
        var options = new ClaudeCodeOptions { CliPath = "/nonexistent/claude", WarmProcesses = 0 };
        foreach (var tool in tools)
        {
            options.BuiltInTools.Add(tool);
        }

        return options;
    }

    [Fact]
    public void AnUnknownToolNameThrowsNamingItBeforeAnyProcess()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService("m", WithTools("Read", "ReadEverything")));

        Assert.Contains("'ReadEverything'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Grep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolNamesAreCaseSensitiveAsTheCliReadsThem()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatClient("m", WithTools("read")));

        Assert.Contains("'read'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkingDirectoryThatDoesNotExistThrowsWhenToolsAreEnabled()
    {
        var options = WithTools("Read");
        options.WorkingDirectory = Path.Combine(Path.GetTempPath(), "cc-missing-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService("m", options));

        Assert.Contains(options.WorkingDirectory, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.WorkingDirectory));

        // Without tools the directory is the CLI's to report, as before.
        options.BuiltInTools.Clear();
        using var service = new ClaudeCodeChatCompletionService("m", options);
    }

    [Fact]
    public void AppSettingsOnTheCommandLineWouldReplaceTheAskRulesAndAreRefused()
    {
        var options = WithTools("Read");
        options.AdditionalCliArguments.Add("--settings={\"permissions\":{\"allow\":[\"Read\"]}}");

        var error = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService("m", options));

        Assert.Contains("--settings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BareModeAlwaysWithAToolBareModeRemovesThrows()
    {
        var options = WithTools("Grep");
        options.BareMode = ClaudeCodeBareMode.Always;

        var error = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService("m", options));

        Assert.Contains("Grep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoBareModeGivesWayToToolsBareModeRemoves()
    {
        var options = WithTools("Read", "Grep");
        options.EnvironmentVariables["ANTHROPIC_API_KEY"] = "sk-ant-x";
        Assert.False(BareModePolicy.Decide(options, new Hashtable()).Bare);

        options.BuiltInTools.Remove("Grep");
        Assert.True(BareModePolicy.Decide(options, new Hashtable()).Bare);
    }

    [Fact]
    public void ListedToolsBecomeTheToolsFlagWithAnAskRuleEachAndHostPrompts()
    {
        var options = WithTools("Read", "Grep");
        options.DisableBuiltInTools = true;

        foreach (var spec in new[]
        {
            CliArgumentsBuilder.Build(options, new LaunchContext("/tmp", null, bare: false), Request(), "/bin/claude", null, null),
            CliArgumentsBuilder.BuildReady(options, new LaunchContext("/tmp", null, bare: false), "/bin/claude", null),
        })
        {
            Assert.Contains("--tools=Read,Grep", spec.Arguments);
            Assert.DoesNotContain("--tools=", spec.Arguments);
            Assert.Contains("--permission-prompt-tool=stdio", spec.Arguments);
            var settings = spec.Arguments.Single(a => a.StartsWith("--settings=", StringComparison.Ordinal));
            var ask = JsonNode.Parse(settings["--settings=".Length..])!["permissions"]!["ask"]!.AsArray().Select(n => n!.GetValue<string>());
            Assert.Equal(["Read", "Grep"], ask.ToArray());
        }
    }

    [Fact]
    public void WithoutToolsNoHostPromptsUnlessFunctionsAreOffered()
    {
        var spec = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);

        Assert.DoesNotContain("--permission-prompt-tool=stdio", spec.Arguments);
        Assert.DoesNotContain(spec.Arguments, a => a.StartsWith("--settings=", StringComparison.Ordinal));
    }

    [Fact]
    public void PermissionResultsSayWhatTheyDo()
    {
        var edited = ClaudeCodeToolPermissionResult.Allow(JsonSerializer.SerializeToElement(new { file_path = "/x" }));

        Assert.True(ClaudeCodeToolPermissionResult.Allow().IsAllowed);
        Assert.Null(ClaudeCodeToolPermissionResult.Allow().UpdatedInput);
        Assert.Equal("/x", edited.UpdatedInput!.Value.GetProperty("file_path").GetString());
        var denied = ClaudeCodeToolPermissionResult.Deny("no");
        Assert.Equal((false, "no"), (denied.IsAllowed, denied.DenyReason));
        Assert.Throws<ArgumentException>(() => ClaudeCodeToolPermissionResult.Allow(JsonSerializer.SerializeToElement("not an object")));
        Assert.ThrowsAny<ArgumentException>(() => ClaudeCodeToolPermissionResult.Deny(" "));
    }

    [Fact]
    public void CloneCopiesTheToolsAndTheCallback()
    {
        var options = WithTools("Read");
        options.ToolPermission = (_, _) => default;
        var copy = options.Clone();
        options.BuiltInTools.Add("Grep");

        Assert.Equal(["Read"], copy.BuiltInTools.ToArray());
        Assert.Same(options.ToolPermission, copy.ToolPermission);
    }
}
