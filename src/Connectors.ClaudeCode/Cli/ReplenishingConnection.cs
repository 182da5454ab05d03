// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// A connection handed out by <see cref="WarmProcessPool"/>: it tells the pool when the call is over, so the
/// replacement process boots after the call rather than competing with it for the CPU.
/// </summary>
internal sealed class ReplenishingConnection : ICliConnection
{
    private readonly ICliConnection _inner;
    private readonly Action _onDisposed;
    private int _disposed;

    public ReplenishingConnection(ICliConnection inner, Action onDisposed)
    {
        this._inner = inner;
        this._onDisposed = onDisposed;
    }

    public ChannelReader<CliMessage> Messages => this._inner.Messages;

    public Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? ControlRequestHandler
    {
        get => this._inner.ControlRequestHandler;
        set => this._inner.ControlRequestHandler = value;
    }

    public Action<CliMessage>? MessageObserver
    {
        get => this._inner.MessageObserver;
        set => this._inner.MessageObserver = value;
    }

    public JsonElement? InitializeResponse
    {
        get => this._inner.InitializeResponse;
        set => this._inner.InitializeResponse = value;
    }

    public string StderrTail => this._inner.StderrTail;

    public string StrayOutput => this._inner.StrayOutput;

    public int? ProcessId => this._inner.ProcessId;

    public bool HasExited => this._inner.HasExited;

    public Task SendAsync(JsonNode message, CancellationToken cancellationToken) => this._inner.SendAsync(message, cancellationToken);

    public Task<JsonElement> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken) => this._inner.SendControlRequestAsync(request, cancellationToken);

    public Task<int?> ShutdownAsync(TimeSpan gracePeriod) => this._inner.ShutdownAsync(gracePeriod);

    public Task AbortAsync() => this._inner.AbortAsync();

    public async ValueTask DisposeAsync()
    {
        await this._inner.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref this._disposed, 1) == 0)
        {
            this._onDisposed();
        }
    }
}
