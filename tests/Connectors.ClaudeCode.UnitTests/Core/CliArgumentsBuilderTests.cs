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
        var spec = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);

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
        Assert.Equal("2", spec.Environment["CLAUDE_CODE_MAX_RETRIES"]);
        Assert.Equal("off", spec.Environment["CLAUDE_CODE_TOTAL_TOKENS_REMINDER"]);
        Assert.Equal("1", spec.Environment["DISABLE_AUTO_COMPACT"]);
        Assert.DoesNotContain("--bare", spec.Arguments);
    }

    [Fact]
    public void BareModeAndTheScratchDirectoryComeFromTheLaunchContext()
    {
        using var scratch = new ScratchDirectory();
        var spec = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, scratch, bare: true), Request(), "/bin/claude", null, null);

        Assert.Contains("--bare", spec.Arguments);
        Assert.Equal(scratch.Path, spec.WorkingDirectory);
        Assert.True(System.IO.Directory.Exists(scratch.Path));
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void TheRuntimesIdleCollectionWaitsForThirtySecondsOfQuietUnlessTheAppSetsIt()
    {
        var pooled = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);
        var options = new ClaudeCodeOptions();
        options.EnvironmentVariables[CliArgumentsBuilder.IdleCollectionIntervalVariable] = null;
        var runtimeDefault = CliArgumentsBuilder.Build(options, new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);

        // A machine that sets the variable itself keeps its value: the launch spec then leaves it alone.
        if (System.Environment.GetEnvironmentVariable("BUN_GC_TIMER_INTERVAL") is null)
        {
            Assert.Equal("30000", pooled.Environment["BUN_GC_TIMER_INTERVAL"]);
        }
        else
        {
            Assert.False(pooled.Environment.ContainsKey("BUN_GC_TIMER_INTERVAL"));
        }

        Assert.Null(runtimeDefault.Environment["BUN_GC_TIMER_INTERVAL"]);
    }

    [Fact]
    public void PromptCachingStaysOnUnlessDisabled()
    {
        var on = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);
        var off = CliArgumentsBuilder.Build(new ClaudeCodeOptions { DisablePromptCaching = true }, new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);

        Assert.False(on.Environment.ContainsKey("DISABLE_PROMPT_CACHING"));
        Assert.Equal("1", off.Environment["DISABLE_PROMPT_CACHING"]);
    }

    [Fact]
    public void TokenBudgetRemindersCanBeKept()
    {
        var spec = CliArgumentsBuilder.Build(new ClaudeCodeOptions { IncludeTokenBudgetReminders = true }, new LaunchContext(null, null, bare: false), Request(), "/bin/claude", null, null);

        Assert.False(spec.Environment.ContainsKey("CLAUDE_CODE_TOTAL_TOKENS_REMINDER"));
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

        using var scratch = new ScratchDirectory();
        var spec = CliArgumentsBuilder.Build(options, new LaunchContext(options.WorkingDirectory, scratch, bare: false), Request("sonnet", "-be brief"), "/bin/claude", null, null);

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

    [Fact]
    public void ValuesThatCannotTravelOnTheCommandLineAreRefusedNamingTheSetting()
    {
        var launch = new LaunchContext(null, null, bare: false);
        var options = new ClaudeCodeOptions();

        var longModel = Assert.Throws<System.ArgumentException>(() => CliArgumentsBuilder.Build(options, launch, Request(new string('m', 200_000)), "/bin/claude", null, null));
        Assert.Contains("model id", longModel.Message, System.StringComparison.Ordinal);

        var nulPrompt = Assert.Throws<System.ArgumentException>(() => CliArgumentsBuilder.Build(options, launch, Request(system: "before\0after"), "/bin/claude", null, null));
        Assert.Contains("system prompt", nulPrompt.Message, System.StringComparison.Ordinal);
        Assert.Contains("NUL", nulPrompt.Message, System.StringComparison.Ordinal);

        var bigBody = Request();
        bigBody.ExtraBody["metadata"] = new JsonObject { ["user_id"] = new string('u', 150_000) };
        var user = Assert.Throws<System.ArgumentException>(() => CliArgumentsBuilder.Build(options, launch, bigBody, "/bin/claude", null, null));
        Assert.Contains("User", user.Message, System.StringComparison.Ordinal);

        var bigSchema = Request();
        bigSchema.ExtraArguments.Add("--json-schema=" + new string('s', 150_000));
        var schema = Assert.Throws<System.ArgumentException>(() => CliArgumentsBuilder.Build(options, launch, bigSchema, "/bin/claude", null, null));
        Assert.Contains("ResponseFormat", schema.Message, System.StringComparison.Ordinal);

        // A long system prompt is fine: it goes by file. A NUL inside a JSON body travels escaped.
        CliArgumentsBuilder.Build(options, launch, Request(system: new string('p', 150_000)), "/bin/claude", null, null);
        var nulInBody = Request();
        nulInBody.ExtraBody["stop_sequences"] = new JsonArray("a\0b");
        CliArgumentsBuilder.Build(options, launch, nulInBody, "/bin/claude", null, null);
    }
}
