// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// One turn on one CLI connection: the handshake, history replay, the prompt, and the stream of updates up to
/// the <c>result</c>. Owns the connection: disposing it ends the process (interrupting and killing it when the
/// turn did not finish).
/// </summary>
internal sealed class ActiveTurn : IAsyncDisposable
{
    /// <summary>How long a turn held at function calls waits for the CLI's totals (answered within milliseconds when at all).</summary>
    private static readonly TimeSpan s_usageTimeout = TimeSpan.FromSeconds(2);

    private readonly ICliConnection _connection;
    private readonly ClaudeCodeOptions _options;
    private readonly bool _bare;
    private readonly ILogger _logger;
    private readonly string? _temporaryFile;
    private readonly FunctionCallingTurn? _functions;
    private readonly Queue<TurnUpdate> _pending = new();
    private readonly TurnTranscript _transcript = new();
    private CliAssistantMessage? _lastSynthetic;
    private CliRateLimitEvent? _rateLimit;
    private string? _model;
    private string? _stopSequence;
    private string? _currentMessageId;
    private string? _stoppedMessageId;
    private string? _stoppedReason;
    private int _interruptSent;
    private bool _finished;
    private CliStreamEvent? _heldAt;
    private bool _aborted;
    private bool _detached;
    private bool _modelRunning;
    private JsonObject? _messageUsage;
    private int _retries;
    private readonly StreamedTextGuard _guard = new();
    private readonly System.Text.StringBuilder _textSoFar = new();

    // The same decision on both threads: the reading thread interrupts at once, the consumer records why.
    private readonly SelfContinuationWatch _observedBlocks = new();
    private readonly SelfContinuationWatch _handledBlocks = new();
    private TimeSpan? _lastRetryDelay;

    public ActiveTurn(ICliConnection connection, ClaudeCodeOptions options, bool bare, ILogger logger, string? temporaryFile, FunctionCallingTurn? functions = null, WebSearchPolicy? webSearch = null, IReadOnlyList<HostedMcpServer>? mcpServers = null)
    {
        this._connection = connection;
        this._options = options;
        this._bare = bare;
        this._logger = logger;
        this._temporaryFile = temporaryFile;
        this._functions = functions;
        this._connection.MessageObserver = this.Observe;
        Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? handler = null;
        if (functions is not null)
        {
            handler = functions.HandleAsync;
            functions.AttachStop(() => this.SendInterruptAsync(CancellationToken.None));
            functions.AttachTranscript(this._transcript);
        }

        if (options.BuiltInTools.Count > 0 || webSearch is not null || mcpServers is { Count: > 0 })
        {
            // Calls the CLI runs itself go through the gate; everything else to the functions, as without such tools.
            this.HostedTools = new HostedToolGate(options, handler, logger, webSearch, mcpServers);
            handler = this.HostedTools.HandleAsync;
        }

        if (handler is not null)
        {
            // Set before initialize: the CLI starts the MCP handshake while it handles that request.
            this._connection.ControlRequestHandler = handler;
        }
    }

    /// <summary>
    /// Sends <c>initialize</c> (for a ready process, the late one that carries the request's system prompt), checks the
    /// CLI version and that it has credentials, then sends the control requests that set the rest of the request's
    /// settings on a ready process.
    /// </summary>
    public Task InitializeAsync(PerTurnSettings? lateSettings, CancellationToken cancellationToken)
        => CliHandshake.InitializeAsync(
            this._connection,
            lateSettings?.InitializeRequest() ?? CliHandshake.InitializeRequest(this._functions is not null),
            lateSettings?.SettingRequests() ?? [],
            this._options.StartupTimeout,
            this._bare,
            cancellationToken);

    /// <summary>
    /// Adds the in-process MCP server to a ready process prepared without it (see <see cref="PerTurnSettings.ToPrimer"/>).
    /// The CLI then starts the server's handshake, which this turn's handler answers, tool list included; its next turn
    /// waits for that connection before the API request, as a process given the server in <c>initialize</c> does.
    /// </summary>
    public async Task AddInProcessServerAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(this._options.StartupTimeout);
        JsonElement answer;
        try
        {
            answer = await this._connection.SendControlRequestAsync(CliFrames.McpSetServers(FunctionCallingTurn.SdkMcpServerConfigs()), timeout.Token).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClaudeCodeTimeoutException($"The Claude Code CLI did not add the in-process MCP server within {this._options.StartupTimeout}.");
        }

        if (answer.GetPropertyOrNull("errors") is { ValueKind: JsonValueKind.Object } errors && errors.EnumerateObject().Any())
        {
            throw new ClaudeCodeProtocolException($"The Claude Code CLI refused the in-process MCP server: {errors.GetRawText()}");
        }
    }

    /// <summary>Waits until the CLI has connected to the request's MCP servers (see <see cref="McpServerReadiness"/>).</summary>
    public Task WaitForMcpServersAsync(IReadOnlyList<HostedMcpServer> servers, CancellationToken cancellationToken)
        => McpServerReadiness.WaitAsync(this._connection, servers, this._options.McpConnectTimeout, cancellationToken);

    /// <summary>Replays earlier turns: user turns without starting the model (each acknowledged before the next), assistant turns as they are.</summary>
    public async Task SendHistoryAsync(IReadOnlyList<CliInputMessage> history, CancellationToken cancellationToken)
    {
        foreach (var message in history)
        {
            await this.SendAsync(CliFrames.Message(message.IsAssistant, message.Content, startsTurn: false, asTypedIntoClaudeCode: this._options.TreatMessagesAsTypedInput), cancellationToken).ConfigureAwait(false);
            if (!message.IsAssistant)
            {
                // Without waiting for the zero-turn result the CLI merges queued user text into the next prompt.
                await this.WaitForAcknowledgementAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends the message that starts the model's turn.</summary>
    public Task SendPromptAsync(CliInputMessage prompt, CancellationToken cancellationToken)
    {
        this.MarkModelRunning();
        return this.SendAsync(CliFrames.Message(prompt.IsAssistant, prompt.Content, asTypedIntoClaudeCode: this._options.TreatMessagesAsTypedInput), cancellationToken);
    }

    /// <summary>Notes that the CLI's turn is under way (an API request may be streaming), so stopping it asks first.</summary>
    public void MarkModelRunning() => this._modelRunning = true;

    /// <summary>
    /// True once the turn ended cleanly with the model's own answer: the process then holds exactly the conversation
    /// plus that answer, and can take its continuation. A turn the connector or the caller stopped (the output limit,
    /// function calls returned to the caller, a filter's Terminate, cancellation) or an error never can.
    /// </summary>
    public bool CanContinue { get; private set; }

    /// <summary>
    /// True when the turn ended for the caller at function calls the CLI still waits on (see <see cref="HeldToolCalls"/>):
    /// the process holds the conversation up to those calls, and takes their results next.
    /// </summary>
    public bool AwaitingResults { get; private set; }

    /// <summary>True when the caller streams: its text is kept equal to the answer when the API stream breaks.</summary>
    public bool CallerStreams { get; init; }

    /// <summary>The calls the CLI runs itself in this turn and the app's decisions on them; null when the turn has no such tools.</summary>
    public HostedToolGate? HostedTools { get; }

    /// <summary>The model responses of the turn so far.</summary>
    public IReadOnlyList<AssistantTurnMessage> Messages => this._transcript.Messages;

    /// <summary>
    /// Hands the process over to a live session after a clean turn: disposing the turn then leaves it running.
    /// </summary>
    public ICliConnection Detach()
    {
        if (!this.CanContinue && !this.AwaitingResults)
        {
            throw new InvalidOperationException("Only a turn that ended cleanly, or waits for function results, can hand over its process.");
        }

        this._detached = true;
        this._connection.MessageObserver = null;

        // This call's functions must not answer for the next call on the same process.
        this._connection.ControlRequestHandler = null;
        return this._connection;
    }

    /// <summary>The next update, or null once the turn completed. Throws the connector's typed exceptions.</summary>
    public async Task<TurnUpdate?> ReadNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (this._pending.TryDequeue(out var update))
            {
                return update;
            }

            if (this._finished)
            {
                return null;
            }

            try
            {
                var message = await this.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
                this.Handle(message);
                if (this._heldAt is { } heldAt)
                {
                    this._heldAt = null;
                    await this.CompleteWhileHoldingAsync(heldAt, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ClaudeCodeException ex)
            {
                this.KeepTextSoFar(ex);
                throw;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (this._detached)
            {
                return;
            }

            if (!this._finished && !this._aborted)
            {
                // The caller stopped early (or failed): the process is mid-turn and cannot be reused.
                await this.InterruptAndKillAsync().ConfigureAwait(false);
            }
            else if (!this._aborted)
            {
                await this._connection.ShutdownAsync(this._options.ShutdownGracePeriod).ConfigureAwait(false);
            }

            await this._connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            TemporaryFiles.DeleteQuietly(this._temporaryFile);
        }
    }

    private async Task SendAsync(JsonObject line, CancellationToken cancellationToken)
    {
        try
        {
            await this._connection.SendAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await this.InterruptAndKillAsync().ConfigureAwait(false);
            throw;
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }
    }

    private async Task WaitForAcknowledgementAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await this.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
            if (message is CliResultMessage result)
            {
                if (result.IsError)
                {
                    throw ErrorMapper.FromErrorResult(result, this._lastSynthetic, this._rateLimit, this._connection.StderrTail, this._bare, this._retries, this._lastRetryDelay);
                }

                return;
            }

            if (message is CliAssistantMessage { IsSynthetic: true } synthetic)
            {
                this._lastSynthetic = synthetic;
            }
        }
    }

    private async Task<CliMessage> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var reader = this._connection.Messages;
        try
        {
            while (true)
            {
                if (reader.TryRead(out var message))
                {
                    return message;
                }

                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await this.InterruptAndKillAsync().ConfigureAwait(false);
            throw;
        }
        catch (CliException ex)
        {
            this._aborted = true;
            await this._connection.AbortAsync().ConfigureAwait(false);
            throw ErrorMapper.FromCliException(ex);
        }
        catch (ChannelClosedException ex) when (ex.InnerException is CliException inner)
        {
            this._aborted = true;
            await this._connection.AbortAsync().ConfigureAwait(false);
            throw ErrorMapper.FromCliException(inner);
        }

        // stdout ended without a result: the process died mid-turn.
        var exitCode = await this._connection.ShutdownAsync(this._options.ShutdownGracePeriod).ConfigureAwait(false);
        this._aborted = true;
        var stderr = this._connection.StderrTail;
        var stray = this._connection.StrayOutput;
        throw new ClaudeCodeProcessException(
            string.Create(CultureInfo.InvariantCulture, $"The Claude Code CLI ended before finishing the turn (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}).")
            + (stray.Length > 0 ? " It printed text that is not the stream-json protocol: " + stray : string.Empty)
            + (stderr.Length > 0 ? " stderr: " + stderr : string.Empty))
        {
            ExitCode = exitCode,
            StderrTail = stderr,
        };
    }

    private void Handle(CliMessage message)
    {
        switch (message)
        {
            case CliStreamEvent streamEvent when streamEvent.ParentToolUseId is null:
                if (this._stoppedMessageId is null)
                {
                    this.HandleStreamEvent(streamEvent);
                }

                if (this.HeldForCaller(streamEvent))
                {
                    // Completed by ReadNextAsync, which can ask the CLI for the turn's cost first.
                    this._heldAt = streamEvent;
                }

                break;

            case CliAssistantMessage assistant when assistant.ParentToolUseId is null:
                if (assistant.IsSynthetic)
                {
                    this._lastSynthetic = assistant;
                    break;
                }

                // After the output limit only the cut-off response counts, not the CLI's own continuation (the
                // transcript leaves it out the same way).
                if (this._stoppedMessageId is null || assistant.MessageId == this._stoppedMessageId)
                {
                    if (this.CallerStreams && assistant.Blocks.OfType<CliTextBlock>().Any())
                    {
                        // What the stream missed (the CLI asked again without streaming) reaches the caller now.
                        this.EnqueueText(this._guard.Completed(assistant.MessageId, string.Concat(assistant.Blocks.OfType<CliTextBlock>().Select(b => b.Text))));
                    }
                    this.ReportFunctionCalls(assistant);
                    this.ReportHostedCalls(assistant);
                }

                break;

            case CliResultMessage result:
                // A turn the connector stopped itself (at the output limit, at function calls for the caller, or
                // on a filter's Terminate) ends as "aborted" in the CLI's eyes; for the caller it is a normal end.
                if (result.IsError && this._stoppedMessageId is null && this._functions?.EndedByHost != true)
                {
                    this._finished = true;
                    throw ErrorMapper.FromErrorResult(result, this._lastSynthetic, this._rateLimit, this._connection.StderrTail, this._bare, this._retries, this._lastRetryDelay);
                }

                this._finished = true;
                this.CanContinue = !result.IsError
                    && result.Subtype == "success"
                    && this._stoppedMessageId is null
                    && Volatile.Read(ref this._interruptSent) == 0
                    && this._functions?.EndedByHost != true;
                // The CLI's totals are per process: in a live session each result counts all its turns.
                var share = TurnShare.Of(result, this._connection.LastResult);
                this._connection.LastResult = result;
                var messages = this._transcript.Messages;
                this._pending.Enqueue(TurnUpdate.Completed(new TurnResult(result, messages, this._model ?? LastModel(messages))
                {
                    Share = share,
                    StopSequence = this._stopSequence,
                    RateLimit = this._rateLimit,
                    StoppedAt = this._stoppedMessageId is not null ? this._stoppedReason : null,
                    StoppedForFunctionCalls = this._functions?.PendingCalls is not null,
                    ApiRetries = this._retries,
                    HostedToolCalls = this.HostedTools?.Calls(messages),
                }));
                break;

            case CliRateLimitEvent rateLimit:
                this._rateLimit = rateLimit;
                break;

            case CliApiRetry retry:
                this.NoteRetry(retry);
                break;

            default:
                if (this.HostedTools is { } hosted)
                {
                    foreach (var ran in hosted.ResultsIn(message, this._transcript))
                    {
                        this._pending.Enqueue(TurnUpdate.HostedTool(ran));
                    }
                }

                break;
        }
    }

    private void HandleStreamEvent(CliStreamEvent streamEvent)
    {
        var endsTurnAt = this._handledBlocks.EndsTurn(streamEvent);
        switch (streamEvent.EventType)
        {
            case "message_start":
                this._model = streamEvent.Model ?? this._model;
                this._currentMessageId = streamEvent.MessageId;
                this._guard.MessageStarted(this._currentMessageId);
                this._messageUsage = streamEvent.StartUsage is { } usage ? JsonNode.Parse(usage.GetRawText()) as JsonObject : null;
                break;

            case "content_block_delta":
                switch (streamEvent.DeltaType)
                {
                    case "text_delta" when streamEvent.DeltaText is { Length: > 0 } text:
                        this.EnqueueText(this.CallerStreams ? this._guard.Delta(text) : text);
                        break;
                    case "thinking_delta" when streamEvent.DeltaText is { Length: > 0 } thinking:
                        this._pending.Enqueue(TurnUpdate.ThinkingDelta(thinking));
                        break;
                    case "citations_delta" when streamEvent.Citation is { } citation:
                        // One citation of the text block being streamed; the assistant line brings them all again.
                        this._pending.Enqueue(TurnUpdate.CitationDelta(citation));
                        break;
                }

                break;

            case "message_stop":
                this._guard.MessageStopped();
                break;

            case "message_delta":
                if (streamEvent.OutputTokens is { } outputTokens && this._messageUsage is not null)
                {
                    this._messageUsage["output_tokens"] = outputTokens;
                }

                if (streamEvent.StopSequence is { } stopSequence)
                {
                    this._stopSequence = stopSequence;
                }

                if (endsTurnAt is { } stopReason)
                {
                    // Left alone, the CLI asks the model to go on (see SelfContinuationWatch). SK callers expect the
                    // answer so far with its finish reason: stop the turn here. The interrupt itself went out from
                    // Observe, on the reading thread, as early as possible.
                    this._stoppedMessageId = this._currentMessageId ?? string.Empty;
                    this._stoppedReason = stopReason;
                }

                break;
        }
    }

    private void ReportFunctionCalls(CliAssistantMessage assistant)
    {
        if (this._functions is null)
        {
            return;
        }

        foreach (var toolUse in assistant.Blocks.OfType<CliToolUseBlock>())
        {
            if (toolUse.Name.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal))
            {
                // The transcript may already hold later messages: the call's own message gives its position.
                var messages = this._transcript.Messages;
                var position = messages.ToList().FindLastIndex(m => m.Id == assistant.MessageId);
                var blocks = position >= 0 ? messages[position].Blocks : assistant.Blocks;
                var index = blocks.OfType<CliToolUseBlock>().ToList().FindIndex(b => b.Id == toolUse.Id);
                this._pending.Enqueue(TurnUpdate.FunctionCall(toolUse, index, position >= 0 ? position : messages.Count - 1));
            }
        }
    }

    /// <summary>Calls the CLI runs itself, as the model made them (their results follow in the CLI's next message).</summary>
    private void ReportHostedCalls(CliAssistantMessage assistant)
    {
        if (this.HostedTools is not { } hosted)
        {
            return;
        }

        foreach (var toolUse in assistant.Blocks.OfType<CliToolUseBlock>())
        {
            if (hosted.Describe(toolUse) is { } call)
            {
                this._pending.Enqueue(TurnUpdate.HostedTool(call));
            }
        }
    }

    /// <summary>
    /// Runs on the reading thread: the CLI starts its automatic continuation within milliseconds of a
    /// <c>max_tokens</c> stop, sooner than a consumer that is busy with earlier chunks would notice.
    /// </summary>
    private void Observe(CliMessage message)
    {
        // The transcript first: the handlers below may look up the message that made a call.
        this._transcript.Observe(message);
        this._functions?.Observe(message);
        this.HostedTools?.Observe(message);
        if (message is CliStreamEvent { ParentToolUseId: null } streamEvent && this._observedBlocks.EndsTurn(streamEvent) is not null)
        {
            this._transcript.StopAtCurrentMessage();
            if (Interlocked.Exchange(ref this._interruptSent, 1) == 0)
            {
                _ = this.SendInterruptAsync(CancellationToken.None);
            }
        }
    }

    private async Task SendInterruptAsync(CancellationToken cancellationToken)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(this._options.InterruptGracePeriod);
        try
        {
            await this._connection.SendControlRequestAsync(CliFrames.Interrupt(), grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or CliException)
        {
            // The result (or the end of output) still ends the turn; a missed interrupt only costs a continuation round.
            this._logger.LogDebug("The interrupt at the output limit was not acknowledged: {Message}", ex.Message);
        }
    }

    private async Task InterruptAndKillAsync()
    {
        if (this._aborted)
        {
            return;
        }

        this._aborted = true;
        if (!this._modelRunning)
        {
            // Still starting, initializing or replaying history: no API request to end politely, and a CLI that has
            // not finished starting cannot answer an interrupt anyway.
            await this._connection.AbortAsync().ConfigureAwait(false);
            return;
        }

        using var grace = new CancellationTokenSource(this._options.InterruptGracePeriod);
        try
        {
            // A polite stop first, so the CLI can end its API stream; the process is killed either way because an
            // interrupted CLI keeps the interruption in its history and cannot be reused.
            await this._connection.SendControlRequestAsync(CliFrames.Interrupt(), grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or CliException)
        {
            this._logger.LogDebug("Claude Code did not acknowledge the interrupt in time; killing it.");
        }

        await this._connection.AbortAsync().ConfigureAwait(false);
    }

    private void EnqueueText(string text)
    {
        if (text.Length > 0)
        {
            this._textSoFar.Append(text);
            this._pending.Enqueue(TurnUpdate.TextDelta(text));
        }
    }

    /// <summary>Puts the answer text produced so far on an error that ends the turn, so that nothing streamed is lost.</summary>
    private void KeepTextSoFar(ClaudeCodeException exception)
    {
        if (exception.TextSoFar is null && this._textSoFar.Length > 0)
        {
            exception.TextSoFar = this._textSoFar.ToString();
        }
    }

    /// <summary>A retry the CLI announced: a warning now (a caller may wait minutes), counted on the result or the error.</summary>
    private void NoteRetry(CliApiRetry retry)
    {
        this._retries++;
        this._lastRetryDelay = retry.RetryDelay ?? this._lastRetryDelay;
        this._logger.LogWarning(
            "The Messages API call failed ({Status} {Error}); Claude Code retries it in {DelayMs} ms (attempt {Attempt} of {MaxRetries}). ClaudeCodeOptions.MaxRetries sets how often.",
            retry.ErrorStatus?.ToString(CultureInfo.InvariantCulture) ?? "no status",
            retry.Error,
            retry.RetryDelay?.TotalMilliseconds,
            retry.Attempt,
            retry.MaxRetries);
    }

    /// <summary>Whether this is the end of a model message whose function calls go to the caller while the CLI waits.</summary>
    private bool HeldForCaller(CliStreamEvent streamEvent)
        => this._functions is { HoldCallsForCaller: true, Plan.Mode: FunctionCallingMode.Manual } functions
            && streamEvent is { EventType: "message_delta", StopReason: "tool_use" }
            && functions.HoldForCaller() is not null;

    /// <summary>
    /// Ends the turn for the caller without a <c>result</c> from the CLI (which waits for the calls' results): the
    /// outcome is the model message so far, with its usage, and its cost from the CLI's totals (<c>get_usage</c>).
    /// </summary>
    private async Task CompleteWhileHoldingAsync(CliStreamEvent streamEvent, CancellationToken cancellationToken)
    {
        var share = await this.ShareSoFarAsync(cancellationToken).ConfigureAwait(false);
        var result = new JsonObject
        {
            ["type"] = "result",
            ["subtype"] = "success",
            ["is_error"] = false,
            ["stop_reason"] = "tool_use",
            ["num_turns"] = 1,
            ["session_id"] = streamEvent.Raw.GetStringOrNull("session_id"),
            ["usage"] = this._messageUsage?.DeepClone(),
        };
        this._finished = true;
        this.AwaitingResults = true;
        var messages = this._transcript.Messages;
        this._pending.Enqueue(TurnUpdate.Completed(new TurnResult(new CliResultMessage(JsonSerializer.SerializeToElement(result)), messages, this._model ?? LastModel(messages))
        {
            StopSequence = this._stopSequence,
            RateLimit = this._rateLimit,
            StoppedForFunctionCalls = true,
            Share = share,
        }));
    }

    /// <summary>
    /// The turn's share of the process's totals so far, for a turn held without a <c>result</c>; the totals then count
    /// as the process's last result, so that the call that completes the turn reports only its own part. None when the
    /// CLI does not answer <c>get_usage</c> (an experimental request) within a short time: the turn goes on without it.
    /// </summary>
    private async Task<TurnShare> ShareSoFarAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_usageTimeout);
        try
        {
            var usage = await this._connection.SendControlRequestAsync(CliFrames.GetUsage(), timeout.Token).ConfigureAwait(false);
            if (CliResultMessage.TotalsFromUsage(usage) is not { } totals)
            {
                return TurnShare.None;
            }

            var share = TurnShare.Of(totals, this._connection.LastResult);
            this._connection.LastResult = totals;
            return share;
        }
        catch (Exception ex) when (ex is CliException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            this._logger.LogDebug("The CLI gave no totals for a turn held at function calls ({Message}); its cost is not reported.", ex.Message);
            return TurnShare.None;
        }
    }

    private static string? LastModel(IReadOnlyList<AssistantTurnMessage> messages)
        => messages.Count > 0 ? messages[^1].Model : null;
}
