// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Connectors.ClaudeCode.Bench;

/// <summary>
/// The TypeScript Agent SDK side: bench.mjs in a Node process that runs one workload per command, so the two sides
/// take turns workload by workload and whatever else the machine is doing falls on both alike. Its "@begin" and
/// "@end" lines are answered once the CLI processes are counted; they are descendants of this process too (through
/// Node), so both sides are counted by the same code.
/// </summary>
internal sealed class TypeScriptSdk : IAsyncDisposable
{
    private readonly Process _node;
    private readonly ProcessSampler _sampler;
    private readonly Task<string> _errors;

    private TypeScriptSdk(Process node, ProcessSampler sampler)
    {
        this._node = node;
        this._sampler = sampler;
        this._errors = node.StandardError.ReadToEndAsync();
    }

    /// <summary>Node's resident memory at the end, once <see cref="QuitAsync"/> returned.</summary>
    public double? RssMb { get; private set; }

    /// <summary>Whether every workload ran and Node exited cleanly.</summary>
    public bool Succeeded { get; private set; } = true;

    /// <summary>Starts Node and waits until its warm-up call is done.</summary>
    public static async Task<TypeScriptSdk> StartAsync(string root, ProcessSampler sampler, string baseUrl, string cli, string home, IEnumerable<int> numbers)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "bench", "ts", "bench.mjs"));
        foreach (var argument in new[] { baseUrl, cli, home }.Concat(numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))))
        {
            start.ArgumentList.Add(argument);
        }

        var sdk = new TypeScriptSdk(Process.Start(start)!, sampler);
        await sdk.ReadUntilIdleAsync(rows: null);
        return sdk;
    }

    /// <summary>Runs one workload's TS rows; none when Node failed.</summary>
    public async Task<List<WorkloadRow>> RunAsync(string workload)
    {
        var rows = new List<WorkloadRow>();
        if (this.Succeeded)
        {
            await this.SendAsync("run " + workload);
            await this.ReadUntilIdleAsync(rows);
        }

        return rows;
    }

    /// <summary>Asks Node to finish, and collects its memory figure and exit code.</summary>
    public async Task QuitAsync()
    {
        if (this.Succeeded)
        {
            await this.SendAsync("quit");
            while (await this._node.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("@done ", StringComparison.Ordinal))
                {
                    this.RssMb = Json(line["@done ".Length..]).GetProperty("rssMb").GetDouble();
                }
            }
        }

        await this._node.WaitForExitAsync();
        if (this._node.ExitCode != 0)
        {
            await this.FailAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!this._node.HasExited)
        {
            // Closing its input ends bench.mjs, and the SDK ends its CLI processes on the way out.
            this._node.StandardInput.Close();
            if (!this._node.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                this._node.Kill(entireProcessTree: true);
            }
        }

        await this._node.WaitForExitAsync();
        this._node.Dispose();
    }

    private async Task ReadUntilIdleAsync(List<WorkloadRow>? rows)
    {
        while (await this._node.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', 3);
            switch (parts[0])
            {
                case "@idle":
                    return;
                case "@begin":
                    this._sampler.Begin("ts " + parts[1]);
                    await this.SendAsync("ok");
                    break;
                case "@end":
                    var processes = this._sampler.End();
                    var measured = Json(parts[2]);
                    var row = new WorkloadRow
                    {
                        Workload = parts[1],
                        Side = "TS Agent SDK",
                        How = measured.GetProperty("how").GetString()!,
                        Counts = !measured.GetProperty("floor").GetBoolean() && !measured.TryGetProperty("pair", out _),
                        Pair = measured.TryGetProperty("pair", out var pair) ? pair.GetString() : null,
                        LatenciesMs = Numbers(measured.GetProperty("latencies")),
                        FirstTokenMs = Numbers(measured.GetProperty("firstTokens")),
                        TotalMs = measured.GetProperty("total").GetDouble(),
                        PeakProcesses = processes.Peak,
                        PeakProcessMemoryMb = processes.PeakMb,
                        ProcessesSeen = processes.Seen,
                        ProcessesLeft = processes.Left,
                        MachineCpuMs = processes.MachineCpuMs,
                    };
                    rows?.Add(row);
                    Console.WriteLine(row.Summary());
                    await this.SendAsync("ok");
                    break;
                default:
                    Console.WriteLine("  node: " + line);
                    break;
            }
        }

        // Output ended before the workload did: Node failed.
        await this._node.WaitForExitAsync();
        await this.FailAsync();
    }

    private async Task FailAsync()
    {
        if (this.Succeeded)
        {
            this.Succeeded = false;
            Console.Error.WriteLine($"The TypeScript Agent SDK run failed (exit {this._node.ExitCode}): {await this._errors}");
        }
    }

    private async Task SendAsync(string line)
    {
        await this._node.StandardInput.WriteLineAsync(line);
        await this._node.StandardInput.FlushAsync();
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static List<double> Numbers(JsonElement array)
        => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN)];
}
