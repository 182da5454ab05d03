// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// The control protocol on a CLI's pipes: requests the host sends (each with an id, answered by a
/// <c>control_response</c>), and requests the CLI sends (<c>can_use_tool</c>, <c>mcp_message</c>, …), answered by
/// <see cref="Handler"/> and withdrawn by <c>control_cancel_request</c>. It writes through the transport it is given
/// and reads only the frames the transport routes to it.
/// </summary>
internal sealed class CliControlChannel : IDisposable
{
    private static int s_requestCounter;

    private readonly Func<JsonNode, CancellationToken, Task> _send;
    private readonly Func<string> _stderrTail;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inbound = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();

    // Kept apart from its source: a request that comes after Dispose links to it (cancelled) instead of failing on the
    // disposed source.
    private readonly CancellationToken _lifetimeToken;
    private Exception? _closed;
    private int _disposed;

    public CliControlChannel(Func<JsonNode, CancellationToken, Task> send, Func<string> stderrTail, ILogger logger)
    {
        this._send = send;
        this._stderrTail = stderrTail;
        this._logger = logger;
        this._lifetimeToken = this._lifetime.Token;
    }

    /// <summary>Answers the CLI's own requests. Unset: each gets an error answer.</summary>
    public Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? Handler { get; set; }

    /// <summary>Sends a request and returns its success payload; throws <see cref="CliException"/> for an error answer or a closed channel.</summary>
    public async Task<JsonElement> SendAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var requestId = string.Create(CultureInfo.InvariantCulture, $"req_{Interlocked.Increment(ref s_requestCounter)}_{Random.Shared.Next():x8}");
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        this._pending[requestId] = completion;
        try
        {
            if (Volatile.Read(ref this._closed) is { } closed)
            {
                throw closed;
            }

            await this._send(CliFrames.ControlRequest(requestId, request), cancellationToken).ConfigureAwait(false);
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            this._pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>Takes a frame that belongs to the control protocol; false for any other frame.</summary>
    public bool TryRoute(CliMessage message)
    {
        switch (message)
        {
            case CliControlResponse response:
                this.Complete(response);
                return true;
            case CliControlRequest request:
                _ = this.AnswerAsync(request);
                return true;
            case { Type: "control_cancel_request" }:
                if (message.Raw.GetStringOrNull("request_id") is { } cancelled && this._inbound.TryGetValue(cancelled, out var cts))
                {
                    try
                    {
                        cts.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Its answer was sent in the meantime: nothing is left to withdraw.
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Fails the requests still waiting, and every later one, with <paramref name="reason"/> (the process is gone).</summary>
    public void Close(Exception reason)
    {
        Interlocked.CompareExchange(ref this._closed, reason, null);
        foreach (var pending in this._pending.Values)
        {
            pending.TrySetException(reason);
        }
    }

    /// <summary>Withdraws the answers still being computed for the CLI's requests.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref this._disposed, 1) != 0)
        {
            return;
        }

        // Each answer's token is linked to the lifetime: cancelling it withdraws them all. (Cancelling them one by one
        // raced with answers finishing, whose sources are disposed as they finish.)
        this._lifetime.Cancel();
        this._lifetime.Dispose();
    }

    private void Complete(CliControlResponse response)
    {
        if (!this._pending.TryGetValue(response.RequestId, out var completion))
        {
            this._logger.LogDebug("Ignoring control response for unknown request {RequestId}.", response.RequestId);
            return;
        }

        if (response.IsSuccess)
        {
            completion.TrySetResult(response.Response);
        }
        else
        {
            completion.TrySetException(new CliException($"The Claude Code CLI refused a control request: {response.ErrorMessage ?? "unknown error"}", this._stderrTail()));
        }
    }

    private async Task AnswerAsync(CliControlRequest request)
    {
        if (this._lifetimeToken.IsCancellationRequested)
        {
            // The process is going away: nothing may act on its requests any more.
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(this._lifetimeToken);
        this._inbound[request.RequestId] = cts;
        JsonObject answer;
        try
        {
            var handler = this.Handler ?? throw new NotSupportedException($"Unsupported control request subtype: {request.RequestSubtype}");
            var payload = await handler(request, cts.Token).ConfigureAwait(false);
            answer = CliFrames.ControlResponse(request.RequestId, payload);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The CLI withdrew the request (control_cancel_request) or the process is going away: no answer is expected.
            this._inbound.TryRemove(request.RequestId, out _);
            return;
        }
#pragma warning disable CA1031 // Any handler failure must become an error answer, or the CLI waits forever.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            answer = CliFrames.ControlError(request.RequestId, ex.Message);
        }

        this._inbound.TryRemove(request.RequestId, out _);
        try
        {
            await this._send(answer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            this._logger.LogDebug(ex, "Could not answer control request {RequestId}: the CLI is gone.", request.RequestId);
        }
    }
}
