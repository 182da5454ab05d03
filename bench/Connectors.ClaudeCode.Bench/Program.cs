// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Measures the connector against the official TypeScript Agent SDK, on the same CLI binary and the same fake
// Messages API, in one run, and prints both side by side with ratios (connector / SDK; below 1 is faster).
//   ./build.sh bench [--calls N] [--concurrency C]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

var calls = IntArgument("--calls", 10);
var concurrency = IntArgument("--concurrency", 4);
var root = FindRepositoryRoot();
var cli = Path.Combine(root, ".claude-cli", "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");

await using var api = await FakeMessagesApi.StartAsync();
api.Responder = request => new FakeResponse { Blocks = { FakeBlock.TextBlock("Benchmark answer to: " + request.LastUserText) }, ChunkSize = 8 };
var home = Directory.CreateTempSubdirectory("claude-bench-").FullName;
try
{
    var options = new ClaudeCodeOptions { CliPath = cli, WorkingDirectory = home, MaxRetries = 0 };
    options.EnvironmentVariables["HOME"] = home;
    options.EnvironmentVariables["ANTHROPIC_BASE_URL"] = api.BaseUrl.ToString().TrimEnd('/');
    options.EnvironmentVariables["ANTHROPIC_API_KEY"] = "sk-ant-bench";
    options.EnvironmentVariables["ANTHROPIC_AUTH_TOKEN"] = null;
    options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = null;
    var service = new ClaudeCodeChatCompletionService("claude-sonnet-4-5", options.Clone());

    Console.WriteLine($"CLI {cli}, fake Messages API {api.BaseUrl}, {calls} sequential calls, {concurrency} concurrent.");
    await OnceAsync(service, "warm-up");
    var sequential = new List<(double Total, double FirstToken)>();
    for (var i = 0; i < calls; i++)
    {
        sequential.Add(await OnceAsync(service, $"call {i}"));
    }

    // Warm: spare processes started ahead; each call waits (untimed) until its spare is ready, as if between messages.
    options.WarmProcesses = 1;
    await using var warmService = new ClaudeCodeChatCompletionService("claude-sonnet-4-5", options);
    await OnceAsync(warmService, "warm-up");
    var warmRuns = new List<(double Total, double FirstToken)>();
    for (var i = 0; i < calls; i++)
    {
        await warmService.WhenWarmProcessesStartedAsync();
        warmRuns.Add(await OnceAsync(warmService, $"warm {i}"));
    }

    await warmService.DisposeAsync();
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => OnceAsync(service, $"parallel {i}")));
    var concurrentWall = wall.Elapsed.TotalMilliseconds;
    var leftRunning = ChildProcesses.LiveClaudeDescendants().Count;
    var connector = new Dictionary<string, double>
    {
        ["call median (ms)"] = Median(sequential.Select(s => s.Total)),
        ["first token median (ms)"] = Median(sequential.Select(s => s.FirstToken)),
        ["warm call median (ms)"] = Median(warmRuns.Select(s => s.Total)),
        ["warm first token median (ms)"] = Median(warmRuns.Select(s => s.FirstToken)),
        [$"{concurrency} concurrent calls, wall (ms)"] = concurrentWall,
        ["host memory (MB)"] = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0),
    };

    var sdk = await RunTypeScriptSdkAsync(root, api.BaseUrl.ToString().TrimEnd('/'), cli, home, calls, concurrency);

    Console.WriteLine();
    Console.WriteLine($"{"metric",-34} {"connector",12} {"TS Agent SDK",14} {"ratio",8}");
    foreach (var (metric, value) in connector)
    {
        var other = sdk?.GetValueOrDefault(metric);
        var ratio = other is > 0 ? (value / other.Value).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-";
        Console.WriteLine($"{metric,-34} {value,12:0.0} {(other is null ? "-" : other.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)),14} {ratio,8}");
    }

    Console.WriteLine();
    Console.WriteLine($"CLI processes left running after the connector's calls: {leftRunning}");
    Console.WriteLine("Ratios are connector / SDK: below 1 means the connector is faster or smaller.");
    return leftRunning == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(home, recursive: true);
}

static async Task<(double Total, double FirstToken)> OnceAsync(ClaudeCodeChatCompletionService service, string prompt)
{
    var history = new ChatHistory();
    history.AddUserMessage(prompt);
    var clock = Stopwatch.StartNew();
    double? firstToken = null;
    await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
    {
        if (firstToken is null && !string.IsNullOrEmpty(chunk.Content))
        {
            firstToken = clock.Elapsed.TotalMilliseconds;
        }
    }

    return (clock.Elapsed.TotalMilliseconds, firstToken ?? double.NaN);
}

static async Task<Dictionary<string, double>?> RunTypeScriptSdkAsync(string root, string baseUrl, string cli, string home, int calls, int concurrency)
{
    var script = Path.Combine(root, "bench", "ts", "bench.mjs");
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in new[] { script, baseUrl, cli, home, calls.ToString(System.Globalization.CultureInfo.InvariantCulture), concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
        start.ArgumentList.Add(argument);
    }

    using var node = Process.Start(start)!;
    var output = await node.StandardOutput.ReadToEndAsync();
    var errors = await node.StandardError.ReadToEndAsync();
    await node.WaitForExitAsync();
    if (node.ExitCode != 0)
    {
        Console.Error.WriteLine($"The TypeScript Agent SDK run failed (exit {node.ExitCode}): {errors}");
        return null;
    }

    using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
    var r = json.RootElement;
    return new Dictionary<string, double>
    {
        ["call median (ms)"] = r.GetProperty("callMedianMs").GetDouble(),
        ["first token median (ms)"] = r.GetProperty("firstTokenMedianMs").GetDouble(),
        ["warm call median (ms)"] = r.GetProperty("warmCallMedianMs").GetDouble(),
        ["warm first token median (ms)"] = r.GetProperty("warmFirstTokenMedianMs").GetDouble(),
        [$"{concurrency} concurrent calls, wall (ms)"] = r.GetProperty("concurrentWallMs").GetDouble(),
        ["host memory (MB)"] = r.GetProperty("rssMb").GetDouble(),
    };
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted[sorted.Count / 2];
}

int IntArgument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
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
