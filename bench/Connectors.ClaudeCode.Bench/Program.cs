// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Measures the connector against the official TypeScript Agent SDK on the same CLI binary and the same fake Messages
// API, workload by workload, in one run; prints a markdown table and writes bench/results/latest.json (and .md).
//   ./build.sh bench [--calls 8] [--pause-ms 1000] [--turns 10] [--conversations 8] [--conversation-turns 5]
//                    [--only back-to-back,tools]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Connectors.ClaudeCode.Bench;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

var calls = IntArgument("--calls", 8);
var pauseMs = IntArgument("--pause-ms", 1000);
var turns = IntArgument("--turns", 10);
var conversations = IntArgument("--conversations", 8);
var conversationTurns = IntArgument("--conversation-turns", 5);

// A part of the run (workload keys, comma-separated): a change to one path can be measured more often in the same time.
var only = StringArgument("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
var root = FindRepositoryRoot();
var cli = Path.Combine(root, ".claude-cli", "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
var resultsDirectory = Path.Combine(root, "bench", "results");

// Anything else running skews every figure on a small machine: the load before and after goes with the results.
var loadBefore = LoadAverage();

// The workloads, in order; the ratio compares per-call medians for the single-turn ones and totals for the others.
var allWorkloads = new Workload[]
{
    new("paced", $"new conversation, paced ({pauseMs} ms between calls)", ByTotal: false),
    new("back-to-back", "new conversation, back to back", ByTotal: false),
    new("conversation", $"SK {turns}-turn conversation", ByTotal: true),
    new("tools", "three auto-invoked tool rounds, new conversation", ByTotal: false),
    new("concurrent", $"{conversations} conversations of {conversationTurns} turns at once", ByTotal: true),
};
var unknown = only?.Except(allWorkloads.Select(w => w.Key)).ToList();
if (unknown is { Count: > 0 })
{
    Console.Error.WriteLine($"Unknown workload(s) for --only: {string.Join(", ", unknown)}; known: {string.Join(", ", allWorkloads.Select(w => w.Key))}.");
    return 2;
}

var workloads = only is null ? allWorkloads : [.. allWorkloads.Where(w => only.Contains(w.Key))];
bool Runs(string key) => only is null || only.Contains(key);

using var sampler = new ProcessSampler(TimeSpan.FromMilliseconds(100));
await using var api = await FakeMessagesApi.StartAsync();
api.Responder = request =>
{
    // Inside the request: every process a workload needs is up while one of them waits for its answer.
    sampler.Sample();
    if (BenchTool.Respond(request) is { } toolRound)
    {
        return toolRound;
    }

    return new FakeResponse { Blocks = { FakeBlock.TextBlock("Benchmark answer to: " + request.LastUserText) }, ChunkSize = 8 };
};
var home = Directory.CreateTempSubdirectory("claude-bench-").FullName;
try
{
    var options = new ClaudeCodeOptions { CliPath = cli, WorkingDirectory = home, MaxRetries = 0 };
    options.EnvironmentVariables["HOME"] = home;
    options.EnvironmentVariables["ANTHROPIC_BASE_URL"] = api.BaseUrl.ToString().TrimEnd('/');
    options.EnvironmentVariables["ANTHROPIC_API_KEY"] = "sk-ant-bench";
    options.EnvironmentVariables["ANTHROPIC_AUTH_TOKEN"] = null;
    options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = null;

    Console.WriteLine($"CLI {cli}, fake Messages API {api.BaseUrl}, {Environment.ProcessorCount} cores; connector defaults: MaxProcesses {options.MaxProcesses}, MaxLiveSessions {options.MaxLiveSessions}.");

    // A soak instead of the comparison: ./build.sh bench --soak-seconds 300 [--soak-rate 4].
    if (IntArgument("--soak-seconds", 0) is var soakSeconds and > 0)
    {
        return await Soak.RunAsync(api, options, soakSeconds, IntArgument("--soak-rate", 4), resultsDirectory);
    }

    // The first spawn pays for a cold disk cache and JIT; neither side's figures should. A tool call too: the function-
    // calling path is compiled on first use (the TS side makes the same two calls before its first workload).
    await using (var warmUp = new ClaudeCodeChatCompletionService("claude-sonnet-4-5", options.Clone()))
    {
        await TurnAsync(warmUp, Conversation("warm-up"));
        await BenchTool.CallAsync(warmUp, "warm-up tools");
    }

    // The IChatClient face has code of its own to compile (its first call was ~90 ms slower than the SK face's).
    using (var warmUpClient = new ClaudeCodeChatClient("claude-sonnet-4-5", options.Clone()))
    {
        await foreach (var update in warmUpClient.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "warm-up client")]))
        {
        }
    }

    // The sides take turns workload by workload, so that whatever else the machine does falls on both alike.
    await using var sdk = await TypeScriptSdk.StartAsync(root, sampler, api.BaseUrl.ToString().TrimEnd('/'), cli, home, [calls, pauseMs, turns, conversations, conversationTurns]);
    var rows = new List<WorkloadRow>();
    if (Runs("paced"))
    {
        rows.Add(await ConnectorAsync(sampler, "paced", "default options", options, service => SequenceAsync(calls, async i =>
        {
            await Task.Delay(pauseMs);
            return await TurnAsync(service, Conversation($"paced {i}"));
        })));
        rows.AddRange(await sdk.RunAsync("paced"));
    }

    if (Runs("back-to-back"))
    {
        rows.Add(await ConnectorAsync(sampler, "back-to-back", "default options", options, service => SequenceAsync(calls, i => TurnAsync(service, Conversation($"b2b {i}")))));
        rows.AddRange(await sdk.RunAsync("back-to-back"));
    }

    if (Runs("conversation"))
    {
        rows.Add(await ConnectorAsync(sampler, "conversation", "one ChatHistory, whole history each call", options, service => ConversationAsync(service, "conv", turns)));
        rows.Add(await ConnectorAsync(sampler, "conversation", "WarmUpAsync() untimed first, then one ChatHistory", options, service => ConversationAsync(service, "conv warm", turns), counts: false, beforeClock: service => service.WarmUpAsync(), pair: "warm"));

        // The same default options in a service that has served before: an earlier conversation, then a user's pause.
        rows.Add(await ConnectorAsync(sampler, "conversation", $"after an earlier conversation and a {pauseMs} ms pause (untimed), one ChatHistory", options, service => ConversationAsync(service, "conv later", turns), counts: false, beforeClock: async service =>
        {
            await TurnAsync(service, Conversation("conv earlier"));
            await Task.Delay(pauseMs);
            await service.WhenWarmProcessesStartedAsync();
        }, pair: "warm"));
        rows.Add(await ChatClientConversationAsync(sampler, options, turns));
        rows.Add(await RawConversationAsync(sampler, cli, home, options, turns));
        rows.AddRange(await sdk.RunAsync("conversation"));
    }

    if (Runs("tools"))
    {
        rows.Add(await ConnectorAsync(sampler, "tools", "kernel function, FunctionChoiceBehavior.Auto()", options, service => SequenceAsync(calls, i => BenchTool.CallAsync(service, $"tools {i}"))));
        rows.AddRange(await sdk.RunAsync("tools"));
    }

    if (Runs("concurrent"))
    {
        rows.Add(await ConnectorAsync(sampler, "concurrent", "default options, one ChatHistory each", options, service => ConcurrentAsync(service, conversations, conversationTurns)));

        // When the default budget cannot hold every conversation (it is sized by the cores), also what one that can costs.
        if (options.MaxProcesses < conversations || options.MaxLiveSessions < conversations)
        {
            var holdsAll = With(options, o => (o.MaxProcesses, o.MaxLiveSessions) = (Math.Max(o.MaxProcesses, conversations), Math.Max(o.MaxLiveSessions, conversations)));
            rows.Add(await ConnectorAsync(
                sampler,
                "concurrent",
                $"MaxProcesses {holdsAll.MaxProcesses}, MaxLiveSessions {holdsAll.MaxLiveSessions}",
                holdsAll,
                service => ConcurrentAsync(service, conversations, conversationTurns),
                counts: false));
        }

        rows.AddRange(await sdk.RunAsync("concurrent"));
    }

    await sdk.QuitAsync();
    var connectorRssMb = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);

    var table = Table(workloads, rows);
    Console.WriteLine();
    Console.WriteLine(table);
    var leftAtEnd = ChildProcesses.LiveClaudeDescendants().Count;
    var notes = new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"Host memory (RSS): .NET {connectorRssMb:0} MB (with the fake API), Node {(sdk.RssMb is { } rss ? rss.ToString("0", CultureInfo.InvariantCulture) + " MB" : "-")}. Counting CLI processes took {sampler.MeanSampleMilliseconds:0.0} ms per sample.")
        .AppendLine(CultureInfo.InvariantCulture, $"CLI processes running at the end of the run: {leftAtEnd}. Load average (1 min) before the run {loadBefore}, after {LoadAverage()}.")
        .ToString();
    Console.Write(notes);

    Directory.CreateDirectory(resultsDirectory);
    await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "latest.md"), table + Environment.NewLine + notes);
    var report = new
    {
        GeneratedUtc = DateTime.UtcNow,
        Machine = new { Environment.ProcessorCount, Os = Environment.OSVersion.VersionString },
        CliVersion = PackageVersion(Path.Combine(root, ".claude-cli", "node_modules", "@anthropic-ai", "claude-code")),
        SdkVersion = PackageVersion(Path.Combine(root, "bench", "ts", "node_modules", "@anthropic-ai", "claude-agent-sdk")),
        Settings = new { calls, pauseMs, turns, conversations, conversationTurns, Only = only },
        ConnectorDefaults = new { options.MaxProcesses, options.MaxLiveSessions, LiveSessionIdleTimeoutSeconds = options.LiveSessionIdleTimeout.TotalSeconds },
        HostMemoryMb = new { Connector = connectorRssMb, Node = sdk.RssMb },
        MeanSampleMs = sampler.MeanSampleMilliseconds,
        LoadAverage = new { Before = loadBefore, After = LoadAverage() },
        Workloads = workloads.Select(w => new { w.Key, w.Title, Metric = w.ByTotal ? "totalMs" : "medianMs", ConnectorOverBestTs = Ratio(w, rows), ConnectorOverBestTsByMean = w.ByTotal ? null : MeanRatio(w, rows) }),
        Rows = rows,
        LeftAtEnd = leftAtEnd,
    };
    var jsonPath = Path.Combine(resultsDirectory, "latest.json");
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, JsonOptions.Value));
    Console.WriteLine($"Written to {jsonPath} (and latest.md).");

    var leaked = rows.Any(r => r.ProcessesLeftAfterDispose > 0) || leftAtEnd > 0;
    return leaked || !sdk.Succeeded ? 1 : 0;
}
finally
{
    Directory.Delete(home, recursive: true);
}

// One workload on a service of its own, disposed at the end so that no live session carries over to the next.
// beforeClock: runs before the clock and the process count start (the row's label must say what it does).
static async Task<WorkloadRow> ConnectorAsync(ProcessSampler sampler, string workload, string how, ClaudeCodeOptions options, Func<ClaudeCodeChatCompletionService, Task<Measured>> run, bool counts = true, Func<ClaudeCodeChatCompletionService, Task>? beforeClock = null, string? pair = null)
{
    Measured measured;
    (int Peak, double PeakMb, int Seen, int Left, double MachineCpuMs) processes;
    var service = new ClaudeCodeChatCompletionService("claude-sonnet-4-5", options.Clone());
    await using (service)
    {
        if (beforeClock is not null)
        {
            await beforeClock(service);
        }

        sampler.Begin("connector " + workload);
        measured = await run(service);
        processes = sampler.End();
    }

    processes.MachineCpuMs = sampler.MachineCpuSinceBeginMs();

    return ConnectorRow(workload, how, counts, measured, processes) with { Pair = pair };
}

// A connector row, once its service is disposed (so that what is left after dispose can be counted).
static WorkloadRow ConnectorRow(string workload, string how, bool counts, Measured measured, (int Peak, double PeakMb, int Seen, int Left, double MachineCpuMs) processes)
{
    var row = new WorkloadRow
    {
        Workload = workload,
        Side = "connector",
        How = how,
        Counts = counts,
        LatenciesMs = measured.Latencies,
        FirstTokenMs = measured.FirstTokens,
        TotalMs = measured.Total,
        PeakProcesses = processes.Peak,
        PeakProcessMemoryMb = processes.PeakMb,
        ProcessesSeen = processes.Seen,
        ProcessesLeft = processes.Left,
        MachineCpuMs = processes.MachineCpuMs,
        ProcessesLeftAfterDispose = ChildProcesses.LiveClaudeDescendants().Count,
    };
    Console.WriteLine(row.Summary());
    return row;
}

// The same conversation through IChatClient in stateful mode: each call sends only its new message and the
// ConversationId the previous answer carried, as Agent Framework threads and FunctionInvokingChatClient do.
static async Task<WorkloadRow> ChatClientConversationAsync(ProcessSampler sampler, ClaudeCodeOptions options, int turns)
{
    Measured measured;
    (int Peak, double PeakMb, int Seen, int Left, double MachineCpuMs) processes;
    var client = new ClaudeCodeChatClient("claude-sonnet-4-5", options.Clone());
    using (client)
    {
        sampler.Begin("connector conversation (IChatClient)");
        string? conversationId = null;
        measured = await SequenceAsync(turns, async turn =>
        {
            var clock = Stopwatch.StartNew();
            double? firstToken = null;
            var chatOptions = new ChatOptions { ConversationId = conversationId };
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, $"client turn {turn}")], chatOptions))
            {
                if (!string.IsNullOrEmpty(update.Text))
                {
                    firstToken ??= clock.Elapsed.TotalMilliseconds;
                }

                conversationId = update.ConversationId ?? conversationId;
            }

            return new Timing(clock.Elapsed.TotalMilliseconds, firstToken ?? double.NaN);
        });
        processes = sampler.End();
    }

    processes.MachineCpuMs = sampler.MachineCpuSinceBeginMs();
    return ConnectorRow("conversation", "IChatClient, ConversationId, new message only", counts: false, measured, processes);
}

// The floor for a conversation: one process fed turn by turn by a minimal stream-json driver (start-up included).
static async Task<WorkloadRow> RawConversationAsync(ProcessSampler sampler, string cli, string home, ClaudeCodeOptions options, int turns)
{
    sampler.Begin("raw driver conversation");
    var clock = Stopwatch.StartNew();
    var timings = new List<Timing>();
    await using (var driver = await RawDriver.StartAsync(cli, home, new Dictionary<string, string?>(options.EnvironmentVariables)))
    {
        // Its start-up counts in the first turn, as a new conversation's does for the other sides.
        var startUp = clock.Elapsed.TotalMilliseconds;
        for (var turn = 0; turn < turns; turn++)
        {
            var (total, firstToken) = await driver.TurnAsync($"raw turn {turn}");
            timings.Add(new Timing(turn == 0 ? total + startUp : total, turn == 0 ? firstToken + startUp : firstToken));
        }
    }

    var processes = sampler.End();
    var row = new WorkloadRow
    {
        Workload = "conversation",
        Side = "raw stream-json",
        How = "one process, a line per turn (floor)",
        Counts = false,
        LatenciesMs = [.. timings.Select(t => t.Total)],
        FirstTokenMs = [.. timings.Select(t => t.FirstToken)],
        TotalMs = clock.Elapsed.TotalMilliseconds,
        PeakProcesses = processes.Peak,
        PeakProcessMemoryMb = processes.PeakMb,
        ProcessesSeen = processes.Seen,
        ProcessesLeft = processes.Left,
        MachineCpuMs = processes.MachineCpuMs,
    };
    Console.WriteLine(row.Summary());
    return row;
}

// One streamed call; the answer joins the history, as a chat application would keep it.
static async Task<Timing> TurnAsync(ClaudeCodeChatCompletionService service, ChatHistory history)
{
    var clock = Stopwatch.StartNew();
    double? firstToken = null;
    var answer = new StringBuilder();
    await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
    {
        if (!string.IsNullOrEmpty(chunk.Content))
        {
            firstToken ??= clock.Elapsed.TotalMilliseconds;
            answer.Append(chunk.Content);
        }
    }

    var total = clock.Elapsed.TotalMilliseconds;
    history.AddAssistantMessage(answer.ToString());
    return new Timing(total, firstToken ?? double.NaN);
}

static ChatHistory Conversation(string firstMessage)
{
    var history = new ChatHistory();
    history.AddUserMessage(firstMessage);
    return history;
}

static async Task<Measured> SequenceAsync(int count, Func<int, Task<Timing>> call)
{
    var clock = Stopwatch.StartNew();
    var timings = new List<Timing>();
    for (var i = 0; i < count; i++)
    {
        timings.Add(await call(i));
    }

    return new Measured([.. timings.Select(t => t.Total)], [.. timings.Select(t => t.FirstToken)], clock.Elapsed.TotalMilliseconds);
}

// One ChatHistory, one call per turn, each with the whole history: the connector finds the live session that holds it.
static async Task<Measured> ConversationAsync(ClaudeCodeChatCompletionService service, string prefix, int count)
{
    var history = new ChatHistory();
    return await SequenceAsync(count, turn =>
    {
        history.AddUserMessage($"{prefix} turn {turn}");
        return TurnAsync(service, history);
    });
}

static async Task<Measured> ConcurrentAsync(ClaudeCodeChatCompletionService service, int conversations, int turns)
{
    var clock = Stopwatch.StartNew();
    var all = await Task.WhenAll(Enumerable.Range(0, conversations).Select(c => ConversationAsync(service, $"c{c}", turns)));
    return new Measured([.. all.SelectMany(a => a.Latencies)], [.. all.SelectMany(a => a.FirstTokens)], clock.Elapsed.TotalMilliseconds);
}

static ClaudeCodeOptions With(ClaudeCodeOptions options, Action<ClaudeCodeOptions> change)
{
    var copy = options.Clone();
    change(copy);
    return copy;
}

static JsonElement Json(string text)
{
    using var document = JsonDocument.Parse(text);
    return document.RootElement.Clone();
}

// connector (default options) ÷ the best TS row that does the same work, on the workload's metric.
static double? Ratio(Workload workload, List<WorkloadRow> rows)
{
    var connector = rows.FirstOrDefault(r => r.Workload == workload.Key && r.Side == "connector" && r.Counts);
    var best = BestTs(workload, rows);
    return connector is null || best is null ? null : workload.Metric(connector) / workload.Metric(best);
}

// The same on the mean per call, for the single-turn workloads (each TS row's own mean; the best is the lowest).
static double? MeanRatio(Workload workload, List<WorkloadRow> rows)
{
    var connector = rows.FirstOrDefault(r => r.Workload == workload.Key && r.Side == "connector" && r.Counts);
    var best = rows.Where(r => r.Workload == workload.Key && r.Side != "connector" && r.Counts).MinBy(r => r.MeanMs);
    return connector is null || best is null ? null : connector.MeanMs / best.MeanMs;
}

static WorkloadRow? BestTs(Workload workload, List<WorkloadRow> rows)
    => rows.Where(r => r.Workload == workload.Key && r.Side != "connector" && r.Counts).MinBy(workload.Metric);

static string Table(Workload[] workloads, List<WorkloadRow> rows)
{
    var text = new StringBuilder()
        .AppendLine("| workload | side | how | n | median ms | mean ms | p95 ms | first token median ms | total ms | CPU ms per call | peak CLI | peak CLI MB | CLI seen | CLI left | ÷ best TS |")
        .AppendLine("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    foreach (var workload in workloads)
    {
        var best = BestTs(workload, rows);
        foreach (var row in rows.Where(r => r.Workload == workload.Key))
        {
            // A row prepared before the clock (a pair) is compared with the other side's row prepared alike, only.
            var paired = row.Pair is null ? null : rows.FirstOrDefault(r => r.Workload == workload.Key && r.Pair == row.Pair && r.Side != "connector");
            var ratio = row.Side == "connector"
                ? row.Pair is not null
                    ? paired is null ? "-" : (workload.Metric(row) / workload.Metric(paired)).ToString("0.00", CultureInfo.InvariantCulture) + $" (vs TS {row.Pair})"
                    : best is null ? "-" : (workload.Metric(row) / workload.Metric(best)).ToString("0.00", CultureInfo.InvariantCulture) + (row.Counts ? MeanNote(workload, rows) : " (variant)")
                : ReferenceEquals(row, best) ? "best TS" : row.Pair is not null ? $"TS {row.Pair}" : row.Counts ? string.Empty : "floor";
            var left = row.ProcessesLeftAfterDispose is { } disposed ? $"{row.ProcessesLeft} ({disposed} after dispose)" : row.ProcessesLeft.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {workload.Title} | {row.Side} | {row.How} | {row.LatenciesMs.Count} | {row.MedianMs:0} | {row.MeanMs:0} | {row.P95Ms:0} | {row.FirstTokenMedianMs:0} | {row.TotalMs:0} | {row.CpuMsPerCall:0} | {row.PeakProcesses} | {row.PeakProcessMemoryMb:0} | {row.ProcessesSeen} | {left} | {ratio} |");
        }
    }

    text.AppendLine()
        .AppendLine("Latencies are per call (per turn for the conversations); the total is the workload's wall time, pauses included.")
        .AppendLine("CPU ms per call: the whole machine's CPU time while the row ran (CLIs, the side driving them, the fake API), per call or turn.")
        .Append("÷ best TS: the connector's figure over the best TS Agent SDK row doing the same work, on the median per call for the single-turn workloads (in brackets: on the mean, which alternating latencies do not tip) and on the total for the conversations; below 1 the connector is faster.");
    return text.ToString();

    static string MeanNote(Workload workload, List<WorkloadRow> rows)
        => MeanRatio(workload, rows) is { } mean && !workload.ByTotal ? string.Create(CultureInfo.InvariantCulture, $" (mean {mean:0.00})") : string.Empty;
}

static string LoadAverage()
    => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "-";

static string? PackageVersion(string directory)
{
    var manifest = Path.Combine(directory, "package.json");
    return File.Exists(manifest) ? Json(File.ReadAllText(manifest)).GetProperty("version").GetString() : null;
}

string? StringArgument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntArgument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Connectors.ClaudeCode.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from the repository (./build.sh bench).");
}

/// <summary>One call: to the end of its stream, and to its first text.</summary>
internal readonly record struct Timing(double Total, double FirstToken);

/// <summary>A workload's calls (or turns) and its wall time.</summary>
internal sealed record Measured(List<double> Latencies, List<double> FirstTokens, double Total);

/// <summary>A workload: its key (shared with bench.mjs), its title, and whether the ratio uses the total or the median.</summary>
internal sealed record Workload(string Key, string Title, bool ByTotal)
{
    public double Metric(WorkloadRow row) => this.ByTotal ? row.TotalMs : row.MedianMs;
}

/// <summary>The JSON file's settings.</summary>
internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Value = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

