// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Connectors.ClaudeCode.FakeAnthropic;

namespace Connectors.ClaudeCode.Bench;

/// <summary>
/// Counts the CLI processes below this process (the connector's, and the Node SDK's, whose Node process is a child
/// of this one) while a workload runs. The fake Messages API samples at every model request, when the processes a
/// workload needs are all up, and a timer samples between requests to see processes that start ahead or wind down.
/// </summary>
internal sealed class ProcessSampler : IDisposable
{
    private readonly object _gate = new();
    private readonly Timer _timer;
    private readonly HashSet<int> _seen = [];
    private string? _workload;
    private int _peak;
    private double _peakMb;
    private long _samples;
    private long _sampleTicks;

    public ProcessSampler(TimeSpan period)
    {
        this._timer = new Timer(_ => this.Sample(), null, period, period);
    }

    /// <summary>How long one look through /proc takes on average (it runs inside each model request).</summary>
    public double MeanSampleMilliseconds => this._samples == 0 ? 0 : Stopwatch.GetElapsedTime(0, this._sampleTicks).TotalMilliseconds / this._samples;

    /// <summary>Starts counting for a workload: the peak starts from what is running now.</summary>
    public void Begin(string workload)
    {
        lock (this._gate)
        {
            this._workload = workload;
            this._peak = 0;
            this._peakMb = 0;
            this._seen.Clear();
        }

        this.Sample();
    }

    /// <summary>
    /// Ends the workload: its peak count, the peak of their summed resident memory, how many distinct CLI processes
    /// served it, and how many run now.
    /// </summary>
    public (int Peak, double PeakMb, int Seen, int Left) End()
    {
        var left = this.Sample();
        lock (this._gate)
        {
            this._workload = null;
            return (this._peak, this._peakMb, this._seen.Count, left);
        }
    }

    /// <summary>Counts the CLI processes now and folds them into the current workload's figures.</summary>
    public int Sample()
    {
        var started = Stopwatch.GetTimestamp();
        var live = ChildProcesses.LiveClaudeDescendants();
        var megabytes = live.Sum(ResidentMegabytes);
        Interlocked.Add(ref this._sampleTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref this._samples);
        lock (this._gate)
        {
            if (this._workload is not null)
            {
                this._peak = Math.Max(this._peak, live.Count);
                this._peakMb = Math.Max(this._peakMb, megabytes);
                this._seen.UnionWith(live);
            }
        }

        return live.Count;
    }

    public void Dispose() => this._timer.Dispose();

    // The second field of /proc/<pid>/statm is the resident set in pages; a process that just ended counts for 0.
    private static double ResidentMegabytes(int pid)
    {
        try
        {
            var pages = long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1], CultureInfo.InvariantCulture);
            return pages * (double)Environment.SystemPageSize / (1024 * 1024);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
