// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Connectors.ClaudeCode.Bench;

/// <summary>What one side measured for one workload, one way of doing it: a row of the table and of the JSON file.</summary>
internal sealed record WorkloadRow
{
    public required string Workload { get; init; }

    public required string Side { get; init; }

    public required string How { get; init; }

    /// <summary>The row the connector is judged by (default options), or a TS row that does the same work as it.</summary>
    public bool Counts { get; init; } = true;

    /// <summary>
    /// Rows of both sides that prepare alike before the clock starts (e.g. "warm": the connector's WarmUpAsync, the
    /// SDK's startup() handle): such a row is compared only with the other side's row of the same pair.
    /// </summary>
    public string? Pair { get; init; }

    /// <summary>Per call, or per turn for the conversation workloads.</summary>
    public required IReadOnlyList<double> LatenciesMs { get; init; }

    public required IReadOnlyList<double> FirstTokenMs { get; init; }

    /// <summary>The whole workload, from the first call to the end of the last (pauses included for the paced one).</summary>
    public required double TotalMs { get; init; }

    public int PeakProcesses { get; init; }

    /// <summary>The most resident memory the CLI processes held together at a sample.</summary>
    public double PeakProcessMemoryMb { get; init; }

    /// <summary>Distinct CLI processes seen while the workload ran.</summary>
    public int ProcessesSeen { get; init; }

    /// <summary>CLI processes running right after the workload's last call returned.</summary>
    public int ProcessesLeft { get; init; }

    /// <summary>CPU time the whole machine spent while the workload ran (see <see cref="ProcessSampler.End"/>).</summary>
    public double MachineCpuMs { get; init; }

    /// <summary>For the connector: CLI processes running once the service was disposed.</summary>
    public int? ProcessesLeftAfterDispose { get; init; }

    public double MedianMs => Median(this.LatenciesMs);

    /// <summary>The mean per call: when latencies alternate (quick, then slow) the median lands on either side, the mean does not.</summary>
    public double MeanMs => this.LatenciesMs.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();

    public double P95Ms => Percentile(this.LatenciesMs, 0.95);

    public double FirstTokenMedianMs => Median(this.FirstTokenMs);

    /// <summary>The machine's CPU time per call (per turn for the conversations).</summary>
    public double CpuMsPerCall => this.LatenciesMs.Count == 0 ? double.NaN : this.MachineCpuMs / this.LatenciesMs.Count;

    /// <summary>One line for the progress output.</summary>
    public string Summary()
        => string.Create(CultureInfo.InvariantCulture, $"  {this.Side,-12} {this.Workload,-13} {this.How,-60} median {this.MedianMs,7:0} ms, total {this.TotalMs,7:0} ms, peak {this.PeakProcesses} CLI");

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Nearest rank: with 8 or 10 samples the 95th percentile is the slowest one.</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }
}
