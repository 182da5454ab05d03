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
    private double _busyAtBegin;

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
            this._busyAtBegin = MachineBusyMilliseconds();
        }

        this.Sample();
    }

    /// <summary>
    /// Ends the workload: its peak count, the peak of their summed resident memory, how many distinct CLI processes
    /// served it, how many run now, and the CPU time the whole machine spent meanwhile (every process: the CLIs, the
    /// side driving them, the fake API; on a machine doing nothing else, what the workload cost).
    /// </summary>
    public (int Peak, double PeakMb, int Seen, int Left, double MachineCpuMs) End()
    {
        var left = this.Sample();
        lock (this._gate)
        {
            this._workload = null;
            return (this._peak, this._peakMb, this._seen.Count, left, this.MachineCpuSinceBeginMs());
        }
    }

    /// <summary>
    /// The machine's CPU time since the last <see cref="Begin"/>, read later than <see cref="End"/>: a service's
    /// processes end when it is disposed, and ending them costs CPU too, as it does for the TS side within its row.
    /// </summary>
    public double MachineCpuSinceBeginMs()
    {
        lock (this._gate)
        {
            return MachineBusyMilliseconds() - this._busyAtBegin;
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

    // The first line of /proc/stat: the whole machine's time in clock ticks (USER_HZ, 100 per second on Linux) by state;
    // busy is everything but idle and iowait.
    private static double MachineBusyMilliseconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return double.NaN;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        return busy * 10.0;
    }

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
