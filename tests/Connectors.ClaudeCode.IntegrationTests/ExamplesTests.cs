// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// Each example under examples/, run offline as a user would (<c>dotnet X.dll --offline</c>) against its bundled fake
/// Messages API and the pinned CLI: it exits 0, prints what it shows off, and leaves no process behind.
/// </summary>
public sealed partial class ExamplesTests
{
    [Fact]
    public async Task QuickStartAnswersStreamsAndCallsTheClockOfflineAsync()
    {
        var run = await RunCleanlyAsync("QuickStart");

        Assert.Contains("Mode: offline (--offline)", run.Output, StringComparison.Ordinal);
        Assert.Contains("[thinking] A haiku has three lines", run.Output, StringComparison.Ordinal);
        Assert.Contains("Offline answer to: Now explain your poem in one sentence.", run.Output, StringComparison.Ordinal);
        Assert.Contains("[function call] Clock.Now (toolu_offline_1)", run.Output, StringComparison.Ordinal);
        var time = Assert.Single(run.Lines, l => l.StartsWith("[function result] ", StringComparison.Ordinal))["[function result] ".Length..];
        Assert.Matches(@"^\d\d:\d\d UTC$", time);
        Assert.Contains($"The clock says {time}.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutALoginTheLoginCheckGoesOfflineAndLeavesNothingInTheClaudeFolderAsync()
    {
        var home = Directory.CreateTempSubdirectory("cc-example-home-").FullName;
        try
        {
            var run = await ExampleRun.RunWithoutLoginAsync("QuickStart", home);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("Mode: offline. No Claude Code login was found", run.Output, StringComparison.Ordinal);
            Assert.Empty(run.LeftoverProcesses);

            // The CLI the check ran registers itself under ~/.claude/sessions while it lives; nothing may stay, and no
            // conversation is written anywhere under the user's Claude Code folder.
            var claude = Path.Combine(home, ".claude");
            var sessions = Path.Combine(claude, "sessions");
            Assert.Empty(Directory.Exists(sessions) ? Directory.GetFiles(sessions) : []);
            Assert.False(Directory.Exists(Path.Combine(claude, "projects")), "a session transcript was written");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task StreamingShowsThinkingApartAndEndsWithUsageOfflineAsync()
    {
        var run = await RunCleanlyAsync("Streaming");

        Assert.Contains("[thinking] The question is about density.", run.Output, StringComparison.Ordinal);
        Assert.Contains("[answer] Ice floats because it is less dense than liquid water.", run.Output, StringComparison.Ordinal);

        // The text came as many small chunks, not as one block at the end.
        var chunks = ChunkCountsLine().Match(run.Output);
        Assert.True(chunks.Success, run.ToString());
        Assert.True(Number(chunks, "thinking") > 10, run.ToString());
        Assert.True(Number(chunks, "text") > 10, run.ToString());

        var usage = UsageLine().Match(run.Output);
        Assert.True(usage.Success, run.ToString());
        Assert.Equal(133, Number(usage, "input"));
        Assert.Equal(112, Number(usage, "output"));
        Assert.Matches("[1-9]", usage.Groups["cost"].Value);
        Assert.EndsWith("finish reason stop", usage.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionCallingRunsTheCallsThroughTheFilterAndByHandOfflineAsync()
    {
        var run = await RunCleanlyAsync("FunctionCalling");
        const string Answer = "[answer] Here is the weather: Paris: sunny, 21°C; Lima: overcast, 17°C.";

        var auto = run.Output[..run.Output.IndexOf("== Manual", StringComparison.Ordinal)];
        var manual = run.Output[run.Output.IndexOf("== Manual", StringComparison.Ordinal)..];
        Assert.Contains("[filter] round 1, call 1 of 2: Weather.GetWeather(city=Paris)", auto, StringComparison.Ordinal);
        Assert.Contains("[filter] round 1, call 2 of 2: Weather.GetWeather(city=Lima)", auto, StringComparison.Ordinal);
        Assert.Contains("[filter] GetWeather returned: Lima: overcast, 17°C", auto, StringComparison.Ordinal);
        Assert.Contains(Answer, auto, StringComparison.Ordinal);
        Assert.Contains("the history now holds 5 messages: system, user, assistant, tool, tool", auto, StringComparison.Ordinal);

        Assert.DoesNotContain("[filter]", manual, StringComparison.Ordinal);
        Assert.Contains("(finish reason tool_calls)", manual, StringComparison.Ordinal);
        Assert.Contains("[manual call] Weather.GetWeather(city=Paris)", manual, StringComparison.Ordinal);
        Assert.Contains("[manual result] Paris: sunny, 21°C", manual, StringComparison.Ordinal);
        Assert.Contains("[manual result] Lima: overcast, 17°C", manual, StringComparison.Ordinal);
        Assert.Contains(Answer, manual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StructuredOutputPrintsTheRecordsFieldsOfflineAsync()
    {
        var run = await RunCleanlyAsync("StructuredOutput");

        Assert.Contains("City: Lisbon", run.Lines);
        Assert.Contains("Country: Portugal", run.Lines);
        Assert.Matches(@"Population: 545\D?000", run.Output);
        Assert.Contains("Landmarks: Belém Tower, Jerónimos Monastery, São Jorge Castle", run.Lines);
        Assert.Contains("Best month to visit: May", run.Lines);
        Assert.Contains("-- metadata StructuredOutput has 5 properties", run.Lines);
    }

    [Fact]
    public async Task AgentsCallsTheToolAndTheSecondTurnSeesTheFirstOfflineAsync()
    {
        var run = await RunCleanlyAsync("Agents");

        Assert.Contains("[tool call] GetForecast(city=Kyoto)", run.Lines);
        Assert.Contains("[tool result] Kyoto next week: light rain most days, 14-19°C", run.Lines);
        Assert.Contains("The forecast says: Kyoto next week: light rain most days, 14-19°C.", run.Output, StringComparison.Ordinal);

        // The fake can name the forecast in turn 2 only if the session sent turn 1 along.
        var secondTurn = Assert.Single(run.Lines, l => l.StartsWith("[TravelAgent, turn 2] ", StringComparison.Ordinal));
        Assert.Contains("The forecast was \"Kyoto next week: light rain most days, 14-19°C\", so pack a compact umbrella", secondTurn, StringComparison.Ordinal);
        var streamed = StreamedUpdatesLine().Match(run.Output);
        Assert.True(streamed.Success, run.ToString());
        Assert.True(Number(streamed, "updates") > 1, run.ToString());
    }

    [Fact]
    public async Task DependencyInjectionLogsAndExportsTracesAndMetricsOfflineAsync()
    {
        var run = await RunCleanlyAsync("DependencyInjection");

        Assert.Contains("[prompt answer] Tiles warm in the sun,", run.Output, StringComparison.Ordinal);
        Assert.Contains("[chat answer] Try a pastel de nata, still warm, dusted with cinnamon.", run.Output, StringComparison.Ordinal);

        // Logging: the connector's usage line per call and the worker's own.
        Assert.Equal(2, run.Lines.Count(l => l.Contains("ClaudeCodeChatCompletionService[0] Prompt tokens: 133. Completion tokens: 24.", StringComparison.Ordinal)));
        Assert.Contains(run.Lines, l => l.Contains("TravelQuestionsWorker", StringComparison.Ordinal) && l.EndsWith("ended with finish reason stop.", StringComparison.Ordinal));

        // Traces: one chat activity per call, the prompt's under SK's function activity.
        Assert.Equal(2, run.Lines.Count(l => Regex.IsMatch(l, @"^Activity\.DisplayName:\s+chat claude-sonnet-4-5$")));
        Assert.Contains(run.Lines, l => Regex.IsMatch(l, @"^Activity\.DisplayName:\s+execute_tool "));
        Assert.Contains("gen_ai.usage.output_tokens: 24", run.Output, StringComparison.Ordinal);

        // Metrics, printed when the host stops: the token counters summed over both calls, the duration counted twice.
        Assert.Equal(266, MetricValue(run, "semantic_kernel.connectors.claude_code.tokens.prompt"));
        Assert.Equal(48, MetricValue(run, "semantic_kernel.connectors.claude_code.tokens.completion"));
        Assert.Equal(2, HistogramCount(run, "gen_ai.client.operation.duration"));
    }

    [Fact]
    public async Task FoundryAuthenticatesWithTheCredentialsTokenOfflineAsync()
    {
        var run = await RunCleanlyAsync("Foundry");

        // Both turns carried the credential's first token: asked for once, it served the conversation.
        Assert.Contains("Foundry deployment 'claude-sonnet-4-5' answers \"What is Microsoft Foundry, in one sentence?\"; the request carried the bearer token offline-foundry-token-1.", run.Lines);
        Assert.Contains("Foundry deployment 'claude-sonnet-4-5' answers \"And how does this app authenticate to it?\"; the request carried the bearer token offline-foundry-token-1.", run.Lines);
        Assert.Contains("-- the credential was asked for 1 token(s) for the two turns", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("[credential failure] ClaudeCodeAuthenticationException: ", StringComparison.Ordinal) && l.Contains("No managed identity endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FolderQuestionsReadsInsideTheFolderOnlyOfflineAsync()
    {
        var run = await RunCleanlyAsync("FolderQuestions");

        // Every built-in tool call went through the app's callback, which refused the file outside the folder.
        Assert.Contains(run.Lines, l => l.StartsWith("[allow] Read ", StringComparison.Ordinal) && l.EndsWith("/project/README.md", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("[deny] Read ", StringComparison.Ordinal) && l.EndsWith("/secrets.txt", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("[allow] Grep ", StringComparison.Ordinal) && l.EndsWith("/project", StringComparison.Ordinal));
        Assert.Contains("[tool call] Read toolu_secret: allowed=False, error=True", run.Lines);
        Assert.Contains("[tool call] Grep toolu_todo: allowed=True, error=False", run.Lines);

        // What the tools returned reached the model: the README's text and Grep's match, and the refusal, not the secret.
        Assert.Contains(run.Lines, l => l.StartsWith("- toolu_readme: ", StringComparison.Ordinal) && l.Contains("Lighthouse turns tide tables into calendar events.", StringComparison.Ordinal));
        Assert.Contains("- toolu_todo: src/Tides.cs:1:// TODO: handle leap seconds", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("- toolu_secret: ", StringComparison.Ordinal) && l.EndsWith("is outside the folder this app lets you read.", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", run.Output, StringComparison.Ordinal);
    }

    private static async Task<ExampleRun> RunCleanlyAsync(string name)
    {
        var run = await ExampleRun.RunOfflineAsync(name);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Error.Length == 0, run.ToString());
        Assert.True(run.LeftoverProcesses.Count == 0, $"examples/{name} left processes behind: {string.Join(", ", run.LeftoverProcesses)}");
        Assert.True(run.LeftoverFolders.Count == 0, $"examples/{name} left folders behind in its temp folder: {string.Join(", ", run.LeftoverFolders)}");
        Assert.Contains("Mode: offline (--offline), against the bundled fake Messages API", run.Output, StringComparison.Ordinal);
        return run;
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    // The console exporter prints a metric as a "Metric Name: NAME, ..." line, then its scope and points, then "Value: ...".
    private static long MetricValue(ExampleRun run, string metric)
        => long.Parse(FirstValueAfter(run, metric, @"\nValue: (\d+)\n"), CultureInfo.InvariantCulture);

    private static long HistogramCount(ExampleRun run, string metric)
        => long.Parse(FirstValueAfter(run, metric, @"\nValue: Sum: [\d.,]+ Count: (\d+) "), CultureInfo.InvariantCulture);

    private static string FirstValueAfter(ExampleRun run, string metric, string pattern)
    {
        var start = run.Output.IndexOf("Metric Name: " + metric + ",", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No metric {metric}.\n{run}");
        var value = Regex.Match(run.Output[start..], pattern);
        Assert.True(value.Success, $"No value for metric {metric}.\n{run}");
        return value.Groups[1].Value;
    }

    [GeneratedRegex(@"-- (?<thinking>\d+) thinking chunks, (?<text>\d+) text chunks")]
    private static partial Regex ChunkCountsLine();

    [GeneratedRegex(@"-- usage: (?<input>\d+) input / (?<output>\d+) output tokens, cost \$(?<cost>[\d.,]+), \d+ ms, finish reason \w+")]
    private static partial Regex UsageLine();

    [GeneratedRegex(@"-- turn 2 streamed in (?<updates>\d+) updates")]
    private static partial Regex StreamedUpdatesLine();
}
