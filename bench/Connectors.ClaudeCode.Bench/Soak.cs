// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.Bench;

/// <summary>
/// Minutes of calls at a constant rate through one service with its default options (live sessions, ready
/// processes): four conversations continued turn after turn, each started over after ten turns, so that sessions
/// are kept, continued, evicted and replaced. Host memory, open file handles and CLI processes are sampled as it runs;
/// after the warm-up they must stay flat.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(FakeMessagesApi api, ClaudeCodeOptions options, int seconds, int callsPerSecond, string resultsDirectory)
    {
        // The fake keeps every request it saw unless told otherwise; that is not the connector's memory.
        api.KeepRequests = false;
        var service = new ClaudeCodeChatCompletionService("claude-sonnet-4-5", options.Clone());
        var samples = new List<(double At, double RssMb, double HeapMb, int Handles, int Clis, int Calls)>();
        var conversations = Enumerable.Range(0, 4).Select(_ => new ChatHistory()).ToArray();
        var calls = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / callsPerSecond);
        var next = TimeSpan.Zero;
        var nextSample = TimeSpan.Zero;
        Console.WriteLine($"Soak: {seconds} s at {callsPerSecond} calls/s through one service with default options.");
        await using (service)
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (clock.Elapsed >= nextSample)
                {
                    samples.Add(Sample(clock.Elapsed.TotalSeconds, calls));
                    nextSample += TimeSpan.FromSeconds(Math.Max(1, seconds / 20.0));
                }

                // A conversation starts over after ten turns, so that new conversations, evictions and replacements go on
                // and every conversation (and so the memory it rightly holds) stays bounded.
                var slot = calls % conversations.Length;
                if (conversations[slot].Count >= 20)
                {
                    conversations[slot] = new ChatHistory();
                }

                var history = conversations[slot];
                history.AddUserMessage($"soak call {calls}");
                try
                {
                    var answer = await service.GetChatMessageContentAsync(history);
                    history.Add(answer);
                }
                catch (ClaudeCodeException ex)
                {
                    failures++;
                    history.RemoveAt(history.Count - 1);
                    Console.WriteLine($"call {calls} failed: {ex.Message}");
                }

                calls++;
                next += interval;
                if (next > clock.Elapsed)
                {
                    await Task.Delay(next - clock.Elapsed);
                }
            }

            samples.Add(Sample(clock.Elapsed.TotalSeconds, calls));
        }

        var afterDispose = ChildProcesses.LiveClaudeDescendants().Count;
        var table = new StringBuilder()
            .AppendLine("| time s | calls | host RSS MB | managed heap MB (after a full GC) | open handles | CLI processes |")
            .AppendLine("|--:|--:|--:|--:|--:|--:|");
        foreach (var sample in samples)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {sample.At:0} | {sample.Calls} | {sample.RssMb:0} | {sample.HeapMb:0.0} | {sample.Handles} | {sample.Clis} |");
        }

        var warm = samples.Skip(samples.Count / 4).ToList();
        table.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{calls} calls, {failures} failed; after the first quarter: host RSS {warm.Min(s => s.RssMb):0}–{warm.Max(s => s.RssMb):0} MB, managed heap {warm.Min(s => s.HeapMb):0.0}–{warm.Max(s => s.HeapMb):0.0} MB, open handles {warm.Min(s => s.Handles)}–{warm.Max(s => s.Handles)}, CLI processes {warm.Min(s => s.Clis)}–{warm.Max(s => s.Clis)} (limit {options.MaxProcesses}); after dispose {afterDispose}.");
        Console.WriteLine();
        Console.WriteLine(table);
        Directory.CreateDirectory(resultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "soak.md"), table.ToString());
        return failures == 0 && afterDispose == 0 ? 0 : 1;
    }

    private static (double At, double RssMb, double HeapMb, int Handles, int Clis, int Calls) Sample(double at, int calls)
    {
        // What stays reachable, not what the collector has not got round to yet.
        var heap = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        using var self = Process.GetCurrentProcess();
        return (at, self.WorkingSet64 / (1024.0 * 1024.0), heap, Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(), ChildProcesses.LiveClaudeChildren().Count, calls);
    }
}
