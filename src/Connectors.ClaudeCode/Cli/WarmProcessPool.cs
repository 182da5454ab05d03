// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// Starts CLI processes ahead of need. Most of a call's cost is the CLI's own start-up (well over half a second);
/// a process started early answers <c>initialize</c> in tens of milliseconds. Each process is still used for one
/// call only (reuse through <c>/clear</c> leaves traces in the next request), so when a call with a launch spec
/// ends, a replacement for that spec starts in the background. Spares are keyed by everything fixed at spawn,
/// and end when unused for <see cref="_idleTimeout"/> or when the pool is disposed.
/// </summary>
internal sealed class WarmProcessPool : ICliConnectionFactory, IAsyncDisposable
{
    private readonly ICliConnectionFactory _inner;
    private readonly int _sparesPerSpec;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Dictionary<string, Queue<Spare>> _spares = new(StringComparer.Ordinal);
    private readonly List<Task> _starting = [];
    private readonly Dictionary<string, int> _startingBySignature = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Timer _evictionTimer;
    private bool _disposed;

    public WarmProcessPool(ICliConnectionFactory inner, int sparesPerSpec, TimeSpan idleTimeout, ILogger logger, Func<DateTimeOffset>? clock = null)
    {
        this._inner = inner;
        this._sparesPerSpec = sparesPerSpec;
        this._idleTimeout = idleTimeout;
        this._logger = logger;
        this._clock = clock ?? (() => DateTimeOffset.UtcNow);
        var period = TimeSpan.FromTicks(Math.Max(idleTimeout.Ticks / 2, TimeSpan.FromSeconds(1).Ticks));
        this._evictionTimer = new Timer(_ => _ = this.EvictIdleAsync(), null, period, period);
    }

    /// <summary>How many spares wait now, over all specs.</summary>
    public int SpareCount
    {
        get
        {
            lock (this._gate)
            {
                return this._spares.Values.Sum(queue => queue.Count);
            }
        }
    }

    /// <summary>Completes when the spares being started now are ready (for tests and benchmarks).</summary>
    public Task WhenSparesStartedAsync()
    {
        lock (this._gate)
        {
            return Task.WhenAll(this._starting);
        }
    }

    /// <inheritdoc/>
    public async Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(this._disposed, this);
        var signature = spec.Reusable ? spec.Signature() : null;
        var connection = signature is null ? null : this.TakeSpare(signature);
        if (connection is not null)
        {
            this._logger.LogDebug("Using a warm Claude Code CLI (pid {Pid}).", connection.ProcessId);
        }
        else
        {
            connection = await this._inner.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        }

        // The replacement for the next call starts when this call is over, not during it.
        return signature is null ? connection : new ReplenishingConnection(connection, () => this.Replenish(spec, signature));
    }

    /// <summary>Ends spares unused for longer than the idle timeout.</summary>
    public async Task EvictIdleAsync()
    {
        var now = this._clock();
        var expired = new List<ICliConnection>();
        lock (this._gate)
        {
            foreach (var queue in this._spares.Values)
            {
                while (queue.Count > 0 && now - queue.Peek().StartedAt >= this._idleTimeout)
                {
                    expired.Add(queue.Dequeue().Connection);
                }
            }
        }

        foreach (var connection in expired)
        {
            this._logger.LogDebug("Ending an idle warm Claude Code CLI (pid {Pid}).", connection.ProcessId);
            await EndAsync(connection).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Task[] starting;
        lock (this._gate)
        {
            if (this._disposed)
            {
                return;
            }

            this._disposed = true;
            starting = [.. this._starting];
        }

        await this._evictionTimer.DisposeAsync().ConfigureAwait(false);

        // Spares still starting add themselves to the queues (or end themselves once they see the pool is closed).
        await Task.WhenAll(starting).ConfigureAwait(false);

        List<ICliConnection> spares;
        lock (this._gate)
        {
            spares = this._spares.Values.SelectMany(queue => queue.Select(spare => spare.Connection)).ToList();
            this._spares.Clear();
        }

        await Task.WhenAll(spares.Select(EndAsync)).ConfigureAwait(false);
    }

    private static async Task EndAsync(ICliConnection connection)
    {
        // A spare never received input: closing stdin makes it exit at once, the grace period only bounds a stuck one.
        await connection.ShutdownAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Boots and initializes the spare now, so that the call that takes it pays for neither.</summary>
    private static async Task<bool> InitializeAheadAsync(ICliConnection connection, CliLaunchSpec spec)
    {
        if (spec.InitializeRequest is not { } initialize)
        {
            return true;
        }

        connection.ControlRequestHandler = spec.EarlyControlHandler;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            connection.InitializeResponse = await connection.SendControlRequestAsync((System.Text.Json.Nodes.JsonObject)initialize.DeepClone(), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is CliException or OperationCanceledException)
        {
            return false;
        }
    }

    private ICliConnection? TakeSpare(string signature)
    {
        lock (this._gate)
        {
            if (!this._spares.TryGetValue(signature, out var queue))
            {
                return null;
            }

            while (queue.Count > 0)
            {
                var spare = queue.Dequeue();
                if (!spare.Connection.HasExited)
                {
                    return spare.Connection;
                }

                _ = EndAsync(spare.Connection);
            }

            return null;
        }
    }

    private void Replenish(CliLaunchSpec spec, string signature)
    {
        lock (this._gate)
        {
            var waiting = this._spares.TryGetValue(signature, out var queue) ? queue.Count : 0;
            var starting = this._startingBySignature.GetValueOrDefault(signature);
            if (this._disposed || waiting + starting >= this._sparesPerSpec)
            {
                return;
            }

            this._startingBySignature[signature] = starting + 1;
            this._starting.RemoveAll(task => task.IsCompleted);
            this._starting.Add(Task.Run(() => this.StartSpareAsync(spec, signature)));
        }
    }

    private async Task StartSpareAsync(CliLaunchSpec spec, string signature)
    {
        ICliConnection connection;
        try
        {
            connection = await this._inner.StartAsync(spec, CancellationToken.None).ConfigureAwait(false);
            if (!await InitializeAheadAsync(connection, spec).ConfigureAwait(false))
            {
                await EndAsync(connection).ConfigureAwait(false);
                throw new CliException("The warm process did not initialize.");
            }
        }
        catch (CliException ex)
        {
            // The next call starts its own process and reports the problem properly.
            this._logger.LogDebug(ex, "Could not start a warm Claude Code CLI.");
            lock (this._gate)
            {
                this._startingBySignature[signature]--;
            }

            return;
        }

        lock (this._gate)
        {
            this._startingBySignature[signature]--;
            if (!this._disposed)
            {
                if (!this._spares.TryGetValue(signature, out var queue))
                {
                    this._spares[signature] = queue = new Queue<Spare>();
                }

                queue.Enqueue(new Spare(connection, this._clock()));
                return;
            }
        }

        await EndAsync(connection).ConfigureAwait(false);
    }

    private sealed record Spare(ICliConnection Connection, DateTimeOffset StartedAt);
}
