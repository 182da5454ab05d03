// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

/// <summary>
/// The processes a service starts ahead of its calls (<see cref="ClaudeCodeOptions.WarmProcesses"/>), so that a new
/// conversation starts on one that is already running: when each starts (once the service is quiet after a call, or
/// at once when new conversations come back to back), what it is given while it waits, and which call takes it. They
/// sit in the <see cref="SessionPool"/> and start on its permits.
/// </summary>
#pragma warning disable CA1001 // The token source has no timer or wait handle to free; the quiet timer is disposed by Stop, which the service's disposal calls.
internal sealed class ReadyProcesses
#pragma warning restore CA1001
{
    private readonly ClaudeCodeOptions _options;
    private readonly LaunchContext _launch;
    private readonly ICliConnectionFactory _factory;
    private readonly SessionPool _sessions;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TrackedTasks _starting = new();

    /// <summary>Guards the ready-process counts, the top-up state and every change of the quiet timer.</summary>
    private readonly object _gate = new();

    /// <summary>Ready processes started and not yet offered: one offered and still being given its settings can be taken.</summary>
    private int _launching;

    // Timestamps of ClaudeCodeOptions.Clock: when a new conversation last started (on a ready process or its own), and
    // how long the last ready process took to start.
    private long _lastNewConversationTimestamp;
    private long _lastReadyStartupTicks;

    /// <summary>What the next ready process is given while it waits (see <see cref="TakeAndChoosePrimer"/>), or null.</summary>
    private ReadyPrimer? _primer;

    /// <summary>The late settings of the last new conversation that took a ready process.</summary>
    private string? _lastPrimingKey;

    /// <summary>
    /// When a call last started or ended (a timestamp of <see cref="ClaudeCodeOptions.Clock"/>): ready processes are
    /// topped up once none has for a while. Not a count of calls in flight: a stream its caller abandons would keep a
    /// count up for good, and a call that waits on the model leaves the machine idle.
    /// </summary>
    private long _lastCallActivity;

    /// <summary>Fires once the service has been quiet for <see cref="ClaudeCodeOptions.ReadyProcessQuietDelay"/>.</summary>
    private readonly ITimer _quietTimer;

    /// <summary>A top-up that waits for the service to be quiet (completed once it has run), or null.</summary>
    private TaskCompletionSource? _topUpWaiting;

    public ReadyProcesses(ClaudeCodeOptions options, LaunchContext launch, ICliConnectionFactory factory, SessionPool sessions, ILogger logger)
    {
        this._options = options;
        this._launch = launch;
        this._factory = factory;
        this._sessions = sessions;
        this._logger = logger;
        using (ExecutionContext.SuppressFlow())
        {
            // Top-ups are the service's, not the work of whoever built it: no ambient context (an Activity, a logging
            // scope) of the constructing call rides along into them.
            this._quietTimer = options.Clock.CreateTimer(static ready => ((ReadyProcesses)ready!).OnQuiet(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A call starts: the service is not quiet.</summary>
    public void CallStarted() => Volatile.Write(ref this._lastCallActivity, this._options.Clock.GetTimestamp());

    /// <summary>A call ended: the ready processes are topped up once the service is quiet (<see cref="TopUpWhenQuiet"/>).</summary>
    public void CallEnded()
    {
        Volatile.Write(ref this._lastCallActivity, this._options.Clock.GetTimestamp());
        this.TopUpWhenQuiet();
    }

    /// <summary>
    /// A ready process for a new conversation with <paramref name="perTurn"/>'s settings (see <see cref="TakeAndChoosePrimer"/>), or
    /// null when there is none; when new conversations come back to back, its replacement starts now.
    /// </summary>
    public (ICliConnection Connection, Task? Priming)? Take(PerTurnSettings perTurn)
    {
        if (this._options.WarmProcesses == 0 || this.TakeAndChoosePrimer(perTurn) is not var (connection, priming, started))
        {
            return null;
        }

        if (this.CallsComeBackToBack(started))
        {
            this.StartReplacementAhead();
        }

        return (connection, priming);
    }

    /// <summary>
    /// A new conversation whose settings a ready process could have taken started a process of its own (after its permit
    /// and start): it counts when judging whether calls come back to back, and a top-up waiting for quiet starts now
    /// (<see cref="TopUpIfWaiting"/>).
    /// </summary>
    public void OwnProcessStarted()
    {
        if (this._options.WarmProcesses > 0)
        {
            this.NoteNewConversation();
            this.TopUpIfWaiting();
        }
    }

    /// <summary>Stops starting ready processes (the service is being disposed): a start under way is abandoned, and the pool's disposal ends its process.</summary>
    public void Stop()
    {
        this._stopping.Cancel();
        TaskCompletionSource? waiting;
        lock (this._gate)
        {
            // Under the lock that guards every Change: none comes after the timer is gone.
            this._quietTimer.Dispose();
            (waiting, this._topUpWaiting) = (this._topUpWaiting, null);
        }

        waiting?.TrySetResult();
    }

    /// <summary>Starts ready processes up to <see cref="ClaudeCodeOptions.WarmProcesses"/> now, and completes once they have started.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken)
    {
        this.TopUpNow();

        // Only what started now: a top-up a later call leaves waiting for quiet is not this warm-up's.
        return this.WhenStartingAsync().WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Completes when the ready processes being started have started, a top-up waiting for the service to be quiet
    /// included (tests and the benchmark wait on it).
    /// </summary>
    public async Task WhenStartedAsync()
    {
        Task? waiting;
        lock (this._gate)
        {
            waiting = this._topUpWaiting?.Task;
        }

        if (waiting is not null)
        {
            await waiting.ConfigureAwait(false);
        }

        await this.WhenStartingAsync().ConfigureAwait(false);
    }

    private Task WhenStartingAsync() => this._starting.WhenAllAsync();

    /// <summary>
    /// After a call: the ready processes are topped up once no call has started or ended for
    /// <see cref="ClaudeCodeOptions.ReadyProcessQuietDelay"/>. A start takes about 250 ms of a core, and on a small
    /// machine a start beside a conversation's next turns slows each of them (a 10-turn conversation by ~40 ms on 2
    /// cores); a conversation's turns come back to back, a user's next conversation comes seconds later.
    /// </summary>
    private void TopUpWhenQuiet()
    {
        TaskCompletionSource? settled = null;
        lock (this._gate)
        {
            if (this._stopping.IsCancellationRequested || this._sessions.ReadyCount + Volatile.Read(ref this._launching) >= this._options.WarmProcesses)
            {
                // Nothing is missing (any more): a top-up still waiting has nothing left to do.
                (settled, this._topUpWaiting) = (this._topUpWaiting, null);
            }
            else
            {
                this._topUpWaiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                this._quietTimer.Change(this._options.ReadyProcessQuietDelay, Timeout.InfiniteTimeSpan);
            }
        }

        settled?.TrySetResult();
    }

    private void OnQuiet()
    {
        var quietFor = this._options.Clock.GetElapsedTime(Volatile.Read(ref this._lastCallActivity));
        if (quietFor < this._options.ReadyProcessQuietDelay)
        {
            // A call started since the timer was set: wait for the rest of the delay after it.
            lock (this._gate)
            {
                if (!this._stopping.IsCancellationRequested)
                {
                    this._quietTimer.Change(this._options.ReadyProcessQuietDelay - quietFor, Timeout.InfiniteTimeSpan);
                }
            }

            return;
        }

        this.TopUpNow();
    }

    /// <summary>
    /// A new conversation found no ready process while a top-up waited for quiet: new conversations are coming, so the
    /// next one's process starts now (beside this call, which starts its own).
    /// </summary>
    private void TopUpIfWaiting()
    {
        bool waiting;
        lock (this._gate)
        {
            waiting = this._topUpWaiting is not null;
        }

        if (waiting)
        {
            this.TopUpNow();
        }
    }

    private void TopUpNow()
    {
        TaskCompletionSource? waiting;
        lock (this._gate)
        {
            (waiting, this._topUpWaiting) = (this._topUpWaiting, null);
        }

        try
        {
            this.ReplenishReadyProcesses();
        }
        finally
        {
            waiting?.TrySetResult();
        }
    }

    /// <summary>
    /// Starts ready processes up to <see cref="ClaudeCodeOptions.WarmProcesses"/>, with free permits only: a ready
    /// process started this way never makes a caller wait or ends a live session.
    /// </summary>
    private void ReplenishReadyProcesses()
    {
        while (!this._stopping.IsCancellationRequested)
        {
            lock (this._gate)
            {
                if (this._sessions.ReadyCount + Volatile.Read(ref this._launching) >= this._options.WarmProcesses || !this._sessions.TryAcquireNow())
                {
                    return;
                }

                this.TrackStarting(() => this.StartReadyProcessAsync(reclaiming: null));
            }
        }
    }

    /// <summary>
    /// Starts the replacement of a ready process a new conversation took while it was still starting: calls come back
    /// to back, and a replacement started only when this one ends would again be taken half started. Started now, it
    /// boots while this call runs. When no permit is free, the least recently used idle live session makes room (a
    /// replay costs a later call less than a start costs each new one); callers waiting for a permit come first.
    /// </summary>
    private void StartReplacementAhead()
    {
        if (this._stopping.IsCancellationRequested)
        {
            return;
        }

        lock (this._gate)
        {
            if (this._sessions.ReadyCount + Volatile.Read(ref this._launching) >= this._options.WarmProcesses)
            {
                return;
            }

            if (this._sessions.TryAcquireNow())
            {
                this.TrackStarting(() => this.StartReadyProcessAsync(reclaiming: null));
            }
            else if (this._sessions.TryReclaimIdleForReady() is { } reclaiming)
            {
                this.TrackStarting(() => this.StartReadyProcessAsync(reclaiming));
            }
        }
    }

    /// <summary>
    /// True when new conversations come back to back: the process taken has not finished starting, or the previous
    /// one began less than two process starts ago. Its replacement then starts now, beside the call, as the next call
    /// would otherwise find it still starting; once calls are spaced out, it starts once the service is quiet after
    /// the call (<see cref="TopUpWhenQuiet"/>), off the path of the call (on 2 cores a start beside a call slows it).
    /// </summary>
    private bool CallsComeBackToBack(Task readyStarted)
    {
        var previous = this.NoteNewConversation();
        if (!readyStarted.IsCompleted)
        {
            return true;
        }

        var startup = Volatile.Read(ref this._lastReadyStartupTicks);
        return previous != 0 && startup > 0 && this._options.Clock.GetTimestamp() - previous < 2 * startup;
    }

    /// <summary>
    /// Notes that a new conversation starts now and returns when the one before it started (0 for the first). Those that
    /// found no ready process count too: the call after two such back-to-back calls must know that they came.
    /// </summary>
    private long NoteNewConversation() => Interlocked.Exchange(ref this._lastNewConversationTimestamp, this._options.Clock.GetTimestamp());

    /// <summary>Counts a ready process as starting until it is offered (or failed); called under <see cref="_gate"/>.</summary>
    private void TrackStarting(Func<Task> start)
    {
        Interlocked.Increment(ref this._launching);
        this._starting.Add(start());
    }

    /// <summary>Starts a ready process on a permit already held, or on the one <paramref name="reclaiming"/> frees when it completes.</summary>
    private async Task StartReadyProcessAsync(Task? reclaiming)
    {
        ICliConnection? connection;
        Task started;
        var launched = this._options.Clock.GetTimestamp();
        try
        {
            connection = await this.LaunchReadyProcessAsync(reclaiming).ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }

            // Conversations keep starting with the same settings: this process is given them while it starts. It is
            // offered at once, so that a call that comes before it is ready waits only for what is left of its start.
            var primer = Volatile.Read(ref this._primer);
            var priming = primer is null
                ? null
                : CliHandshake.InitializeAsync(connection, primer.InitializeRequest(), primer.SettingRequests(), this._options.StartupTimeout, this._launch.Bare, this._stopping.Token);

            // Without settings to give, a request that changes nothing tells when the CLI has started: a call that takes
            // the process before then knows calls come back to back, and a warm-up knows when it is done.
            started = priming ?? this.ProbeAsync(connection);
            this._sessions.OfferReady(connection, primer?.Key, priming, started);
        }
        finally
        {
            // Offered (or failed): from now on it counts among the ready processes, or not at all.
            Interlocked.Decrement(ref this._launching);
        }

        try
        {
            await started.ConfigureAwait(false);
            Volatile.Write(ref this._lastReadyStartupTicks, this._options.Clock.GetTimestamp() - launched);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever failed (the CLI, or a caller that took the process and ended it), the call that takes this
            // process sees it; one still waiting here is ended.
            this._logger.LogDebug("A ready process could not be given its settings: {Message}", ex.Message);
            this._sessions.Discard(connection);
        }
    }

    /// <summary>
    /// A control request a ready process answers once it has started, and that leaves it as it was: thinking at the
    /// CLI's default, which is what a process started without thinking flags has (the late settings set it if asked).
    /// </summary>
    private async Task ProbeAsync(ICliConnection connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(this._stopping.Token);
        timeout.CancelAfter(this._options.StartupTimeout);
        await connection.SendControlRequestAsync(CliFrames.SetMaxThinkingTokens(null), timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Spawns a ready process on its permit; null (the permit given back) when it cannot start.</summary>
    private async Task<ICliConnection?> LaunchReadyProcessAsync(Task? reclaiming)
    {
        try
        {
            if (reclaiming is not null)
            {
                // The session's process must have ended before another starts on its permit: the limit holds at every moment.
                await reclaiming.ConfigureAwait(false);
                this._stopping.Token.ThrowIfCancellationRequested();
            }

            var (executable, interpreter) = CliLocator.Locate(this._options.CliPath);
            var spec = CliArgumentsBuilder.BuildReady(this._options, this._launch, executable, interpreter);
            return await this._factory.StartAsync(spec, this._stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliException or ClaudeCodeException or OperationCanceledException or System.ComponentModel.Win32Exception or IOException)
        {
            // The next call starts its own process and reports what is wrong; a ready process is only a head start.
            this._logger.LogDebug("A ready process could not be started: {Message}", ex.Message);
            this._sessions.Release();
            return null;
        }
    }

    /// <summary>
    /// Takes a ready process for a new conversation with <paramref name="perTurn"/>'s settings, and decides what the
    /// next ready process is given while it waits: these settings when the last two new conversations had the same
    /// (an app that starts its conversations alike), else nothing (the settings go in when a call takes it). So a
    /// process prepared for other settings, which has to be ended, costs one call a start of its own when an app's
    /// settings change, and never when they alternate.
    /// </summary>
    private (ICliConnection Connection, Task? Priming, Task Started)? TakeAndChoosePrimer(PerTurnSettings perTurn)
    {
        var primer = perTurn.ToPrimer();
        lock (this._gate)
        {
            var repeated = primer.Key == this._lastPrimingKey;
            this._lastPrimingKey = primer.Key;
            Volatile.Write(ref this._primer, repeated ? primer : null);
        }

        return this._sessions.TakeReady(primer.Key);
    }
}
