// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

/// <summary>
/// The CLI processes of one service: a budget that bounds them all (in flight, live sessions, ready processes), the
/// live sessions waiting for their continuation, and the ready processes waiting for a new conversation. A process
/// holds one permit of the budget from its start until it ends, whatever it does; when the budget is spent, a ready
/// process ends to make room, then the least recently used live session, and only when none is left do callers wait.
/// </summary>
internal sealed class SessionPool : IAsyncDisposable
{
    private readonly SemaphoreSlim _permits;
    private readonly int _maxLiveSessions;
    private readonly int _maxIdleSessions;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _readyIdleTimeout;

    /// <summary>How long a session that has answered one call waits, when shorter than <see cref="_idleTimeout"/>.</summary>
    private readonly TimeSpan _singleCallIdleTimeout;
    private readonly TimeSpan _shutdownGrace;
    private readonly ILogger _logger;
    private readonly List<LiveSession> _idle = [];
    private readonly TrackedTasks _endings = new();
    private readonly List<(ICliConnection Connection, DateTime SinceUtc, string? PrimedKey, Task? Priming, Task Started)> _ready = [];
    private readonly LinkedList<LiveSession> _ended = [];
    private readonly object _gate = new();
    private readonly Timer? _sweeper;
    private int _waiters;
    private bool _disposed;

    public SessionPool(int maxProcesses, int maxLiveSessions, TimeSpan idleTimeout, TimeSpan shutdownGrace, ILogger logger, TimeSpan? readyIdleTimeout = null, int readyProcesses = 0, TimeSpan? singleCallIdleTimeout = null)
    {
        // A shorter timeout for sessions that answered one call only when it is shorter (and a timeout at all).
        this._singleCallIdleTimeout = singleCallIdleTimeout is { } single && single > TimeSpan.Zero && (idleTimeout == Timeout.InfiniteTimeSpan || single < idleTimeout)
            ? single
            : idleTimeout;
        // Idle conversations leave room for the ready processes, or new conversations would find none.
        this._maxIdleSessions = maxLiveSessions == 0 ? 0 : Math.Max(1, Math.Min(maxLiveSessions, maxProcesses - readyProcesses));
        this._readyIdleTimeout = readyIdleTimeout ?? idleTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProcesses, 1, nameof(maxProcesses));
        ArgumentOutOfRangeException.ThrowIfNegative(maxLiveSessions, nameof(maxLiveSessions));
        this._permits = new SemaphoreSlim(maxProcesses, maxProcesses);
        this._maxLiveSessions = maxLiveSessions;
        this._idleTimeout = idleTimeout;
        this._shutdownGrace = shutdownGrace;
        this._logger = logger;
        var shortest = TimeSpan.FromTicks(new[] { idleTimeout, this._readyIdleTimeout, this._singleCallIdleTimeout }.Where(t => t != Timeout.InfiniteTimeSpan).DefaultIfEmpty(Timeout.InfiniteTimeSpan).Min(t => t.Ticks));
        if (shortest > TimeSpan.Zero && shortest != Timeout.InfiniteTimeSpan)
        {
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, shortest.Ticks / 4));
            this._sweeper = new Timer(_ => this.EndExpired(), null, period, period);
        }
    }

    /// <summary>Live sessions waiting now (for tests and diagnostics).</summary>
    public int IdleCount
    {
        get
        {
            lock (this._gate)
            {
                return this._idle.Count;
            }
        }
    }

    /// <summary>Ready processes waiting now (for tests and diagnostics).</summary>
    public int ReadyCount
    {
        get
        {
            lock (this._gate)
            {
                return this._ready.Count;
            }
        }
    }

    /// <summary>
    /// Takes a free permit at once, for a process nobody waits for (a ready process): never from a caller in line,
    /// never by ending another process.
    /// </summary>
    public bool TryAcquireNow()
        => !this._disposed && Volatile.Read(ref this._waiters) == 0 && this._permits.Wait(0, CancellationToken.None);

    /// <summary>
    /// Makes room for a ready process wanted now (calls arrive back to back) when no permit is free: ends the least
    /// recently used idle live session, whose permit passes to the ready process once the returned task completes.
    /// Null when there is none, or when callers wait for a permit (they come first).
    /// </summary>
    public Task? TryReclaimIdleForReady()
    {
        LiveSession? oldest;
        lock (this._gate)
        {
            if (this._disposed || Volatile.Read(ref this._waiters) > 0)
            {
                return null;
            }

            oldest = this._idle.MinBy(s => s.IdleSinceUtc);
            if (oldest is null)
            {
                return null;
            }

            this._idle.Remove(oldest);
        }

        this._logger.LogDebug("Ending the least recently used live session (process {ProcessId}) to start a ready process for calls that come back to back.", oldest.Connection.ProcessId);
        this.Remember(oldest);
        return EndQuietlyAsync(oldest.Connection, this.GraceFor(oldest));
    }

    /// <summary>
    /// Adds a ready process (its permit taken with <see cref="TryAcquireNow"/>), being given (<paramref name="priming"/>)
    /// the late settings keyed <paramref name="primedKey"/>, or none; ends it when nobody may use it.
    /// <paramref name="started"/> completes once the CLI has started and answers (null: taken as started).
    /// </summary>
    public void OfferReady(ICliConnection connection, string? primedKey = null, Task? priming = null, Task? started = null)
    {
        lock (this._gate)
        {
            if (!this._disposed && Volatile.Read(ref this._waiters) == 0 && connection.CanTakeCall)
            {
                this._ready.Add((connection, DateTime.UtcNow, primedKey, priming, started ?? priming ?? Task.CompletedTask));
                return;
            }
        }

        this.Track(this.EndAndReleaseAsync(connection));
    }

    /// <summary>Ends a ready process whose preparation failed, if it still waits here (a caller that took it sees the failure itself).</summary>
    public void Discard(ICliConnection connection)
    {
        lock (this._gate)
        {
            var index = this._ready.FindIndex(r => ReferenceEquals(r.Connection, connection));
            if (index < 0)
            {
                return;
            }

            this._ready.RemoveAt(index);
        }

        this.Track(this.EndAndReleaseAsync(connection));
    }

    /// <summary>
    /// Takes a ready process, if one lives that can take settings keyed <paramref name="primingKey"/>: one being given
    /// exactly those already (its <c>Priming</c> to wait for), else one given none. The caller then owns it and its
    /// permit; <c>Started</c> completes once the CLI has started. A process being given other settings cannot take a
    /// call: it is ended, so that a replacement can start.
    /// </summary>
    public (ICliConnection Connection, Task? Priming, Task Started)? TakeReady(string? primingKey)
    {
        while (true)
        {
            ICliConnection? connection;
            string? primedKey;
            Task? priming;
            Task started;
            lock (this._gate)
            {
                if (this._ready.Count == 0)
                {
                    return null;
                }

                (connection, _, primedKey, priming, started) = this._ready[^1];
                this._ready.RemoveAt(this._ready.Count - 1);
            }

            if (primedKey is not null && primedKey != primingKey)
            {
                this._logger.LogDebug("The ready process (pid {ProcessId}) was prepared for other settings; it is ended and replaced.", connection.ProcessId);
                this.Track(this.EndAndReleaseAsync(connection));
                continue;
            }

            if (connection.CanTakeCall)
            {
                return (connection, priming, started);
            }

            this._logger.LogDebug("A ready process (pid {ProcessId}) died while waiting or its credential is due to expire; it is not used.", connection.ProcessId);
            this.Track(this.EndAndReleaseAsync(connection));
        }
    }

    /// <summary>
    /// Takes a permit for a new process: a free one, else one a live session gives up (least recently used first),
    /// else waits in line. The permit must be given back with <see cref="Release"/> when the process ends.
    /// </summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref this._waiters);
        try
        {
            while (true)
            {
                ObjectDisposedException.ThrowIf(this._disposed, this);
                if (this._permits.Wait(0, CancellationToken.None))
                {
                    return;
                }

                if (this.TryTakeOldestReady() is { } ready)
                {
                    // A ready process is worth less than a conversation: it goes first.
                    await EndQuietlyAsync(ready, this._shutdownGrace).ConfigureAwait(false);
                    return;
                }

                if (this.TryTakeOldest() is { } oldest)
                {
                    // Its permit passes to this call once its process has ended, so the limit holds at every moment.
                    this._logger.LogDebug("Ending the least recently used live session (process {ProcessId}) to make room.", oldest.Connection.ProcessId);
                    this.Remember(oldest);
                    await EndQuietlyAsync(oldest.Connection, this.GraceFor(oldest)).ConfigureAwait(false);
                    return;
                }

                await this._permits.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        finally
        {
            Interlocked.Decrement(ref this._waiters);
        }
    }

    /// <summary>Gives back the permit of a process that ended.</summary>
    public void Release() => this._permits.Release();

    /// <summary>
    /// Takes the live session that <paramref name="request"/> continues, if any: same shape, and a transcript the
    /// request starts with. The caller then owns it (and its permit) for one call.
    /// </summary>
    public LiveSession? TryTake(string shape, ConversationTranscript request)
    {
        List<LiveSession>? dead = null;
        LiveSession? found = null;
        lock (this._gate)
        {
            // Longest transcript first: the session that saves the most replay.
            foreach (var session in this._idle.OrderByDescending(s => s.Transcript.Messages.Count))
            {
                if (!session.Connection.CanTakeCall)
                {
                    (dead ??= []).Add(session);
                    continue;
                }

                if (session.Shape == shape
                    && session.Fingerprint == request.FingerprintOf(session.Transcript.Messages.Count)
                    && session.Transcript.IsStrictPrefixOf(request))
                {
                    found = session;
                    break;
                }
            }

            foreach (var session in dead ?? [])
            {
                this._idle.Remove(session);
            }

            if (found is not null)
            {
                this._idle.Remove(found);
            }
        }

        foreach (var session in dead ?? [])
        {
            this._logger.LogDebug("A live session's process (pid {ProcessId}) died while idle or its credential is due to expire; it is not reused.", session.Connection.ProcessId);
            this.Track(this.EndSessionAsync(session));
        }

        return found;
    }

    /// <summary>Takes the live session with id <paramref name="id"/>, if the pool still holds it and its process lives.</summary>
    public LiveSession? TryTakeById(string id)
    {
        LiveSession? found;
        lock (this._gate)
        {
            found = this._idle.Find(s => s.Id == id);
            if (found is not null)
            {
                this._idle.Remove(found);
            }
        }

        if (found is not null && !found.Connection.CanTakeCall)
        {
            // Ended now, and remembered: the caller's TryRecall finds it.
            this.Track(this.EndSessionAsync(found));
            return null;
        }

        return found;
    }

    /// <summary>
    /// Takes what an ended session held (its conversation), so that a caller who names its id, with the settings it
    /// started with, can go on in a new process; null once it is forgotten too (the service keeps the last <see cref="RememberedConversations"/>).
    /// </summary>
    public LiveSession? TryRecall(string id, string shape)
    {
        lock (this._gate)
        {
            for (var node = this._ended.First; node is not null; node = node.Next)
            {
                if (node.Value.Id == id && node.Value.Shape == shape)
                {
                    this._ended.Remove(node);
                    return node.Value;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Keeps a process that finished its turn cleanly for the conversation's continuation. Ends it instead when the
    /// pool is disposed, when callers are waiting for a permit, or when live sessions are turned off.
    /// </summary>
    public void Park(LiveSession session)
    {
        LiveSession? evicted = null;
        var keep = false;
        lock (this._gate)
        {
            if (!this._disposed && this._maxLiveSessions > 0 && Volatile.Read(ref this._waiters) == 0 && session.Connection.CanTakeCall)
            {
                session.IdleSinceUtc = DateTime.UtcNow;
                this._idle.Add(session);
                keep = true;
                if (this._idle.Count > this._maxIdleSessions)
                {
                    evicted = this._idle.MinBy(s => s.IdleSinceUtc);
                    this._idle.Remove(evicted!);
                }
            }
        }

        if (!keep)
        {
            this.Track(this.EndSessionAsync(session));
        }

        if (evicted is not null)
        {
            this._logger.LogDebug("More than {Max} idle live sessions: ending the least recently used.", this._maxIdleSessions);
            this.Track(this.EndSessionAsync(evicted));
        }
    }

    /// <summary>Ends every live session; later <see cref="Park"/> calls end their process at once.</summary>
    public async ValueTask DisposeAsync()
    {
        List<LiveSession> sessions;
        List<ICliConnection> ready;
        lock (this._gate)
        {
            this._disposed = true;
            sessions = [.. this._idle];
            this._idle.Clear();
            ready = [.. this._ready.Select(r => r.Connection)];
            this._ready.Clear();
        }

        if (this._sweeper is not null)
        {
            await this._sweeper.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(sessions.Select(s => this.EndAndReleaseAsync(s.Connection, this.GraceFor(s))).Concat(ready.Select(r => this.EndAndReleaseAsync(r)))).ConfigureAwait(false);

        // Processes that were already ending (evicted, expired) are ended before disposal returns.
        await this._endings.WhenAllAsync().ConfigureAwait(false);
    }

    private void Track(Task ending) => this._endings.Add(ending);

    private static async Task EndQuietlyAsync(ICliConnection connection, TimeSpan grace)
    {
        try
        {
            await connection.ShutdownAsync(grace).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliException or InvalidOperationException or ObjectDisposedException)
        {
            // Ending a process that is already gone is not an error.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How many ended conversations the pool remembers for <see cref="TryRecall"/>.</summary>
    public const int RememberedConversations = 64;

    /// <summary>Ends a live session's process, remembering its conversation for a caller who names it later.</summary>
    private Task EndSessionAsync(LiveSession session)
    {
        this.Remember(session);
        return this.EndAndReleaseAsync(session.Connection, this.GraceFor(session));
    }

    /// <summary>Ends a session taken from the pool that cannot serve (its permit comes back when its process has ended).</summary>
    public void EndNow(LiveSession session) => this.Track(this.EndAndReleaseAsync(session.Connection, this.GraceFor(session)));

    /// <summary>Remembers a recalled conversation again (its resumption failed before it was sent).</summary>
    public void Restore(LiveSession session) => this.Remember(session);

    private void Remember(LiveSession session)
    {
        lock (this._gate)
        {
            if (!this._disposed)
            {
                this._ended.AddFirst(session);
                while (this._ended.Count > RememberedConversations)
                {
                    this._ended.RemoveLast();
                }
            }
        }
    }

    /// <summary>
    /// How long a session's process may take to exit once its input closes: a process that waits on a permission
    /// for held function calls does not exit by itself (observed), so it is ended at once.
    /// </summary>
    private TimeSpan GraceFor(LiveSession session) => session.Held is null ? this._shutdownGrace : TimeSpan.Zero;

    private async Task EndAndReleaseAsync(ICliConnection connection, TimeSpan? grace = null)
    {
        try
        {
            // A ready process holds no conversation: nothing is lost by ending it at once.
            await EndQuietlyAsync(connection, grace ?? TimeSpan.Zero).ConfigureAwait(false);
        }
        finally
        {
            this.Release();
        }
    }

    private ICliConnection? TryTakeOldestReady()
    {
        lock (this._gate)
        {
            if (this._ready.Count == 0)
            {
                return null;
            }

            var oldest = this._ready[0].Connection;
            this._ready.RemoveAt(0);
            return oldest;
        }
    }

    private LiveSession? TryTakeOldest()
    {
        lock (this._gate)
        {
            var oldest = this._idle.MinBy(s => s.IdleSinceUtc);
            if (oldest is not null)
            {
                this._idle.Remove(oldest);
            }

            return oldest;
        }
    }

    private void EndExpired()
    {
        List<ICliConnection> expired;
        List<LiveSession> expiredSessions;
        var now = DateTime.UtcNow;
        var cutoff = Cutoff(now, this._idleTimeout);
        var singleCallCutoff = Cutoff(now, this._singleCallIdleTimeout);
        var readyCutoff = Cutoff(now, this._readyIdleTimeout);
        lock (this._gate)
        {
            // A session that answered one call and waits on no function results is most often a one-off call.
            var sessions = this._idle.Where(s => s.IdleSinceUtc <= (s.CallsAnswered == 1 && s.Held is null ? singleCallCutoff : cutoff) || !s.Connection.CanTakeCall).ToList();
            var ready = this._ready.Where(r => r.SinceUtc <= readyCutoff || !r.Connection.CanTakeCall).ToList();
            foreach (var session in sessions)
            {
                this._idle.Remove(session);
            }

            foreach (var process in ready)
            {
                this._ready.Remove(process);
            }

            expiredSessions = sessions;
            expired = [.. ready.Select(r => r.Connection)];
        }

        foreach (var session in expiredSessions)
        {
            this.Track(this.EndSessionAsync(session));
        }

        foreach (var connection in expired)
        {
            this.Track(this.EndAndReleaseAsync(connection));
        }
    }

    /// <summary>What went idle at or before the returned time has waited <paramref name="timeout"/>; nothing has waited an infinite one.</summary>
    private static DateTime Cutoff(DateTime now, TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan || timeout >= now - DateTime.MinValue ? DateTime.MinValue : now - timeout;
}
