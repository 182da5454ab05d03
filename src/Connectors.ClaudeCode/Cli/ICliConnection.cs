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
/// A live stream-json conversation with one CLI process. The process implementation is
/// <see cref="CliProcess"/>; unit tests substitute a scripted one.
/// </summary>
internal interface ICliConnection : IAsyncDisposable
{
    /// <summary>
    /// Every stdout message except control traffic, in order. Completes when stdout ends; completes with a
    /// <see cref="CliException"/> when the output breaks the protocol.
    /// </summary>
    ChannelReader<CliMessage> Messages { get; }

    /// <summary>Answers the CLI's own control requests (<c>can_use_tool</c>, <c>mcp_message</c>, …). Unset: each gets an error answer.</summary>
    Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? ControlRequestHandler { get; set; }

    /// <summary>
    /// Sees every message as soon as it is read, on the reading thread, before it is queued in <see cref="Messages"/>.
    /// For reactions that cannot wait for the consumer (an interrupt at the output limit); must not block.
    /// </summary>
    Action<CliMessage>? MessageObserver { get; set; }

    /// <summary>The last lines of the CLI's stderr.</summary>
    string StderrTail { get; }

    /// <summary>Lines on stdout that were not JSON (debug prints, or a program that is not the CLI).</summary>
    string StrayOutput { get; }

    /// <summary>Process id, for diagnostics.</summary>
    int? ProcessId { get; }

    /// <summary>True once the process has exited (a spare that died while waiting is not handed out).</summary>
    bool HasExited { get; }

    /// <summary>
    /// When set, the time after which the process must not start another call (its credential would expire during
    /// it); the pools end it instead of handing it out.
    /// </summary>
    DateTimeOffset? RetireAt { get; set; }

    /// <summary>
    /// The last <c>result</c> the process reported: the CLI counts cost, API time and per-model usage per process,
    /// across the turns of a live session, so a turn's own share is its result less this one (<c>TurnShare</c>).
    /// </summary>
    CliResultMessage? LastResult { get; set; }

    /// <summary>Whether the process may take a call now: alive, and not past <see cref="RetireAt"/>.</summary>
    bool CanTakeCall => !this.HasExited && (this.RetireAt is not { } retireAt || retireAt > DateTimeOffset.UtcNow);

    /// <summary>Writes one message line on stdin.</summary>
    Task SendAsync(JsonNode message, CancellationToken cancellationToken);

    /// <summary>Sends a control request and returns the success payload; throws <see cref="CliException"/> for an error answer or a dead process.</summary>
    Task<JsonElement> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken);

    /// <summary>Closes stdin, waits up to <paramref name="gracePeriod"/> for the process to exit, then kills it. Returns the exit code.</summary>
    Task<int?> ShutdownAsync(TimeSpan gracePeriod);

    /// <summary>Kills the process (and anything it started) at once.</summary>
    Task AbortAsync();
}
