// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Runs chat turns. A turn continues the live session that holds its conversation, or starts a new conversation (on a
/// ready process from <see cref="ReadyProcesses"/> when one fits, else on a process of its own) and replays the history
/// into it; a clean turn leaves its process as a live session, any other ends it.
/// </summary>
#pragma warning disable CA1001 // Neither the semaphore nor the token source creates a wait handle, so they hold nothing to dispose; disposing the semaphore under running calls would break their release.
internal sealed class ChatTurnRunner
#pragma warning restore CA1001
{
    private readonly ClaudeCodeOptions _options;
    private readonly LaunchContext _launch;
    private readonly ICliConnectionFactory _factory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim? _slots;
    private readonly SessionPool _sessions;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReadyProcesses _ready;

    public ChatTurnRunner(ClaudeCodeOptions options, LaunchContext launch, ICliConnectionFactory factory, SessionPool sessions, ILogger logger)
    {
        this._sessions = sessions;
        this._options = options;
        this._launch = launch;
        this._factory = factory;
        this._logger = logger;
        this._ready = new ReadyProcesses(options, launch, factory, sessions, logger);
        if (options.MaxConcurrentCalls is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(options));
            this._slots = new SemaphoreSlim(limit, limit);
        }
    }

    /// <summary>Runs one turn and streams its updates; the last one is <see cref="TurnUpdateKind.Completed"/>.</summary>
    public async IAsyncEnumerable<TurnUpdate> RunAsync(ChatTurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        this._ready.CallStarted();
        try
        {
            // The request timeout rides on the same token as the caller's cancellation, so it ends the process the same way.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, this._stopping.Token);
            if (this._options.RequestTimeout is { } limit)
            {
                timeout.CancelAfter(limit);
            }

            if (request.FunctionCalling is { } functions)
            {
                functions.TurnCancellation = timeout.Token;
            }

            // A call made from inside an auto-invoked function must not wait for a slot its own caller holds.
            var nested = AutoFunctionInvoker.CurrentDepth > 0;
            var slots = nested ? null : this._slots;
            if (slots is not null)
            {
                await slots.WaitAsync(timeout.Token).ConfigureAwait(false);
            }

            try
            {
                var (lease, first) = await this.WithTimeoutAsync(() => this.StartAndReadFirstAsync(request, nested, timeout.Token), cancellationToken, timeout.Token).ConfigureAwait(false);
                try
                {
                    var update = first;
                    while (update is not null)
                    {
                        if (update.Kind == TurnUpdateKind.Completed && lease.WillStayLive(request))
                        {
                            // Named before the caller sees the result, so the answer can carry it.
                            lease.SessionId ??= "cc-" + Guid.NewGuid().ToString("N");
                            update.Result!.ConversationId = lease.SessionId;
                        }

                        yield return update;
                        update = await this.WithTimeoutAsync(() => lease.Turn.ReadNextAsync(timeout.Token), cancellationToken, timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await this.EndTurnAsync(lease, request).ConfigureAwait(false);
                }
            }
            finally
            {
                slots?.Release();
            }
        }
        finally
        {
            this._ready.CallEnded();
        }
    }

    /// <summary>
    /// Starts the turn and reads its first update. A process that was running before the call (a live session found by
    /// its content, or a ready process) and turns out to have died just before it could answer is replaced once: the
    /// call starts over in a process of its own, so that a death between two calls is never the caller's error.
    /// </summary>
    private async Task<(TurnLease Lease, TurnUpdate? First)> StartAndReadFirstAsync(ChatTurnRequest request, bool nested, CancellationToken cancellationToken)
    {
        var lease = await this.StartAsync(request, nested, cancellationToken).ConfigureAwait(false);
        try
        {
            return (lease, await lease.Turn.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (ClaudeCodeProcessException ex) when (lease.Reused)
        {
            this._logger.LogDebug("A process that was ready for the call had died ({Message}); starting the call over.", ex.Message);
            await this.EndTurnAsync(lease, request).ConfigureAwait(false);
        }
        catch
        {
            await this.EndTurnAsync(lease, request).ConfigureAwait(false);
            throw;
        }

        var fresh = await this.StartAsync(request, nested, cancellationToken).ConfigureAwait(false);
        try
        {
            return (fresh, await fresh.Turn.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await this.EndTurnAsync(fresh, request).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Cancels the calls in flight and stops starting ready processes (the service is being disposed).</summary>
    public void StopAll()
    {
        this._stopping.Cancel();
        this._ready.Stop();
    }

    /// <summary>Starts ready processes up to <see cref="ClaudeCodeOptions.WarmProcesses"/> now, and completes once they have started.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => this._ready.WarmUpAsync(cancellationToken);

    /// <summary>Completes when the ready processes being started have started, a top-up waiting for quiet included.</summary>
    public Task WhenReadyProcessesStartedAsync() => this._ready.WhenStartedAsync();

    private async Task<T> WithTimeoutAsync<T>(Func<Task<T>> operation, CancellationToken callerToken, CancellationToken timeoutToken)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && timeoutToken.IsCancellationRequested && this._options.RequestTimeout is { } limit)
        {
            throw new ClaudeCodeTimeoutException($"The Claude Code call did not finish within {limit.TotalSeconds:0.###} s (ClaudeCodeOptions.RequestTimeout); its CLI process was ended.", ex)
            {
                Timeout = limit,
            };
        }
    }

    private async Task<TurnLease> StartAsync(ChatTurnRequest request, bool nested, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        string executable;
        string? interpreter;
        try
        {
            (executable, interpreter) = CliLocator.Locate(this._options.CliPath);
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }

        // What fixes the process: its signature names the shape of a live session, whichever way it started.
        var inlineSpec = CliArgumentsBuilder.Build(this._options, this._launch, request, executable, interpreter, systemPromptFile: null);
        var shape = !nested && this.CanHoldSession(request) ? SessionShape(inlineSpec, request) : null;
        if (shape is not null && request.FunctionCalling is { } functions)
        {
            // Calls returned to the caller keep the process waiting for their results, rather than ending the turn.
            functions.HoldCallsForCaller = true;
        }

        if (request.ConversationId is { } conversationId)
        {
            return await this.ContinueByIdAsync(conversationId, shape, request, inlineSpec, executable, interpreter, cancellationToken).ConfigureAwait(false);
        }

        var transcript = shape is null ? null : ConversationTranscript.Of([.. request.History, request.Prompt]);
        if (transcript is not null && transcript.Messages.Count != request.History.Count + 1)
        {
            // Every message must count for one, or the new messages could not be told from the old.
            shape = null;
        }

        // A live session that holds this conversation: only the new messages are sent.
        if (shape is not null && this._sessions.TryTake(shape, transcript!) is { } session)
        {
            this._logger.LogDebug("Continuing live session {Fingerprint} (pid {ProcessId}).", session.Fingerprint, session.Connection.ProcessId);
            var newMessages = request.History.Skip(session.Transcript.Messages.Count).ToList();
            if (await this.ContinueSessionAsync(session, shape, newMessages, request, prior: null, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                // Found by content, the request holds everything: if the process died, a new one can take it all.
                lease.Reused = session.Held is null;
                lease.RequestTranscript = transcript;
                return lease;
            }
        }

        var started = await this.StartFreshAsync(request, shape, nested, inlineSpec, executable, interpreter, cancellationToken).ConfigureAwait(false);
        started.RequestTranscript = transcript;
        return started;
    }

    /// <summary>
    /// Starts the conversation in a process of its own, replaying its history: a ready process when the request's
    /// settings can all be set late, else a process started for it.
    /// </summary>
    private async Task<TurnLease> StartFreshAsync(ChatTurnRequest request, string? shape, bool nested, CliLaunchSpec inlineSpec, string executable, string? interpreter, CancellationToken cancellationToken)
    {
        // A new conversation on a ready process: the request's settings go in through the control protocol.
        var earlierCalls = EarlierCallsIn(request);
        var perTurn = nested ? null : PerTurnSettings.TryCreate(request);
        if (perTurn is not null && this._ready.Take(perTurn) is var (ready, priming))
        {
            this._logger.LogDebug("Starting the conversation on a ready process (pid {ProcessId}{Primed}).", ready.ProcessId, priming is not null ? ", its settings given ahead" : string.Empty);

            var fresh = new ActiveTurn(ready, this._options, this._launch.BareFor(request), this._logger, temporaryFile: null, request.FunctionCalling, request.WebSearchPolicy, request.McpServers) { CallerStreams = request.Streaming };
            var lease = new TurnLease(fresh, holdsPermit: true, shape) { Reused = true, EarlierCalls = earlierCalls };
            try
            {
                if (priming is not null)
                {
                    await priming.WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (request.FunctionCalling is not null)
                    {
                        // Prepared without the in-process MCP server (PerTurnSettings.ToPrimer): the call adds it.
                        await fresh.AddInProcessServerAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await fresh.InitializeAsync(perTurn, cancellationToken).ConfigureAwait(false);
                }

                await fresh.SendHistoryAsync(request.History, cancellationToken).ConfigureAwait(false);
                await fresh.SendPromptAsync(request.Prompt, cancellationToken).ConfigureAwait(false);
                return lease;
            }
            catch (ClaudeCodeProcessException ex)
            {
                // It died while it waited: the call starts a process of its own below.
                this._logger.LogDebug("The ready process had died ({Message}); starting one for the call.", ex.Message);
                await this.EndTurnAsync(lease, request).ConfigureAwait(false);
            }
            catch
            {
                await this.EndTurnAsync(lease, request).ConfigureAwait(false);
                throw;
            }
        }

        // Long prompts go by file: command lines have per-argument and total limits (E2BIG on Linux, 32K on Windows).
        var spec = inlineSpec;
        string? systemPromptFile = null;
        if (request.SystemPrompt is { } systemPrompt && systemPrompt.Length > this._options.SystemPromptFileThreshold)
        {
            systemPromptFile = Path.Combine(Path.GetTempPath(), "claude-code-system-" + Guid.NewGuid().ToString("N") + ".txt");
            await File.WriteAllTextAsync(systemPromptFile, systemPrompt, cancellationToken).ConfigureAwait(false);
            spec = CliArgumentsBuilder.Build(this._options, this._launch, request, executable, interpreter, systemPromptFile);

            // The file lives for this call only.
            shape = null;
        }

        // A call nested in an auto-invoked function runs on its caller's permit: waiting here could wait for itself.
        if (!nested)
        {
            try
            {
                await this._sessions.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                TemporaryFiles.DeleteQuietly(systemPromptFile);
                throw;
            }
        }

        ICliConnection connection;
        try
        {
            connection = await this._factory.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            TemporaryFiles.DeleteQuietly(systemPromptFile);
            if (!nested)
            {
                this._sessions.Release();
            }

            throw ex is CliException cli ? ErrorMapper.FromCliException(cli) : ex;
        }

        // After the call's own permit and start, so that the next conversation's process takes a free permit only. Only
        // a new conversation a ready process could have served (perTurn is null for nested calls) tells that more such
        // calls are coming.
        if (perTurn is not null && earlierCalls == 0)
        {
            this._ready.OwnProcessStarted();
        }

        var turn = new ActiveTurn(connection, this._options, this._launch.BareFor(request), this._logger, systemPromptFile, request.FunctionCalling, request.WebSearchPolicy, request.McpServers) { CallerStreams = request.Streaming };
        var started = new TurnLease(turn, holdsPermit: !nested, shape) { EarlierCalls = earlierCalls };
        try
        {
            await turn.InitializeAsync(lateSettings: null, cancellationToken).ConfigureAwait(false);
            if (request.McpServers.Count > 0)
            {
                await turn.WaitForMcpServersAsync(request.McpServers, cancellationToken).ConfigureAwait(false);
            }

            await turn.SendHistoryAsync(request.History, cancellationToken).ConfigureAwait(false);
            await turn.SendPromptAsync(request.Prompt, cancellationToken).ConfigureAwait(false);
            return started;
        }
        catch
        {
            await this.EndTurnAsync(started, request).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Continues the conversation a caller named (MEAI's stateful mode): every message of the request is new to it.
    /// A live session takes them as they are; a conversation whose process has ended is replayed into a new one from
    /// what the service remembers of it. One that is forgotten, or was started with settings this request changes, is
    /// a typed error: nothing is sent.
    /// </summary>
    private async Task<TurnLease> ContinueByIdAsync(string conversationId, string? shape, ChatTurnRequest request, CliLaunchSpec inlineSpec, string executable, string? interpreter, CancellationToken cancellationToken)
    {
        var session = shape is null ? null : this._sessions.TryTakeById(conversationId);
        if (session is not null && session.Shape == shape)
        {
            if (await this.ContinueSessionAsync(session, shape, request.History, request, session.Transcript, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }

            throw new ClaudeCodeConversationNotFoundException(
                $"The Claude Code conversation '{conversationId}' waits for the results of the function calls it returned; send one result for each call (and nothing else), or the whole history without ChatOptions.ConversationId.")
            {
                ConversationId = conversationId,
            };
        }

        if (session is not null)
        {
            this._sessions.Park(session);
        }
        else if (shape is not null && this._sessions.TryRecall(conversationId, shape) is { } ended)
        {
            this._logger.LogDebug("Conversation {ConversationId} lost its process; replaying it into a new one.", conversationId);
            try
            {
                var resumed = await this.StartFreshAsync(request.WithEarlierHistory(ended.Transcript.Sources), shape, nested: false, inlineSpec, executable, interpreter, cancellationToken).ConfigureAwait(false);
                resumed.SessionId = ended.Id;
                resumed.PriorTranscript = ended.Transcript;
                return resumed;
            }
            catch
            {
                // Not lost for a later try.
                this._sessions.Restore(ended);
                throw;
            }
        }

        var reason = shape is null
            ? "this request cannot continue a live conversation (a response format, MaxTurns or MaxBudgetUsd, or live sessions are off)"
            : session is null
                ? $"the service no longer holds it (it keeps the last {SessionPool.RememberedConversations} conversations whose process ended, and none after it is disposed)"
                : "it was started with other settings (model, system prompt, tools or sampling settings); those cannot change within a conversation";
        throw new ClaudeCodeConversationNotFoundException(
            $"The Claude Code conversation '{conversationId}' cannot be continued: {reason}. Send the whole history without ChatOptions.ConversationId to go on.")
        {
            ConversationId = conversationId,
        };
    }

    /// <summary>
    /// Continues a live session with the request's new messages; a session that waits on function calls takes only
    /// their results (one for each call, and nothing else), which answer the calls in the CLI's own turn. Null, with
    /// the session ended, when a waiting session gets anything else: its turn cannot go another way.
    /// </summary>
    private async Task<TurnLease?> ContinueSessionAsync(LiveSession session, string shape, IReadOnlyList<CliInputMessage> newHistory, ChatTurnRequest request, ConversationTranscript? prior, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string>? results = null;
        if (session.Held is { } held)
        {
            results = newHistory.Count == 0 ? ToolResults(request.Prompt) : null;
            if (results is null || !held.AreAnsweredBy(results) || request.FunctionCalling is null)
            {
                this._logger.LogDebug("A session waiting on function results got other messages; ending it.");
                this._sessions.EndNow(session);
                return null;
            }

            request.FunctionCalling.ResultsForHeldCalls = results;
        }

        var turn = new ActiveTurn(session.Connection, this._options, this._launch.BareFor(request), this._logger, temporaryFile: null, request.FunctionCalling, request.WebSearchPolicy, request.McpServers) { CallerStreams = request.Streaming };
        // Results for the calls a held session returned finish the call that made them: they do not count as another.
        var lease = new TurnLease(turn, holdsPermit: true, shape) { SessionId = session.Id, PriorTranscript = prior, EarlierCalls = session.Held is null ? session.CallsAnswered : session.CallsAnswered - 1 };
        try
        {
            if (session.Held is { } waiting)
            {
                // The CLI has waited on its permission request since the calls were returned; granting it runs them.
                turn.MarkModelRunning();
                waiting.Release();
            }
            else
            {
                await turn.SendHistoryAsync(newHistory, cancellationToken).ConfigureAwait(false);
                await turn.SendPromptAsync(request.Prompt, cancellationToken).ConfigureAwait(false);
            }

            return lease;
        }
        catch
        {
            await this.EndTurnAsync(lease, request).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The function results of a message made only of them, by call id; null for any other message.</summary>
    private static Dictionary<string, string>? ToolResults(CliInputMessage message)
    {
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in message.Content)
        {
            if (block is not JsonObject { } result
                || result["type"]?.GetValue<string>() != "tool_result"
                || result["tool_use_id"]?.GetValue<string>() is not { } id
                || result["content"] is not JsonValue content
                || !content.TryGetValue<string>(out var text))
            {
                return null;
            }

            results[id] = text;
        }

        return results.Count > 0 ? results : null;
    }

    /// <summary>
    /// After a clean turn the process becomes a live session holding the conversation; otherwise it ends. The service's
    /// ready processes are topped up once the call is over (<see cref="ReadyProcesses.CallEnded"/>), not on its path.
    /// </summary>
    private async Task EndTurnAsync(TurnLease lease, ChatTurnRequest request)
    {
        if (lease.WillStayLive(request) && !this._stopping.IsCancellationRequested)
        {
            // What the caller's history will hold next time: the conversation as it stands now (with the function
            // calls and results auto-invoke added), then the answer; after what the session held before, when the
            // caller sent only the new messages.
            // The history converted for the request is still the caller's unless auto-invoke added to it.
            var own = request.SourceHistory!.Count == request.SourceHistoryCount && lease.RequestTranscript is { } converted
                ? converted
                : ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(request.SourceHistory, request.Citations));
            var transcript = (lease.PriorTranscript ?? ConversationTranscript.Empty).Then(own);
            if (lease.Turn.Messages.Count > 0)
            {
                transcript = transcript.WithAssistant(lease.Turn.Messages[^1].Blocks);
            }

            var connection = lease.Turn.Detach();
            await lease.Turn.DisposeAsync().ConfigureAwait(false);
            this._sessions.Park(new LiveSession(lease.SessionId ?? "cc-" + Guid.NewGuid().ToString("N"), connection, lease.SessionShape!, transcript)
            {
                Held = lease.Turn.AwaitingResults ? request.FunctionCalling?.Held : null,
                CallsAnswered = lease.EarlierCalls + 1,
            });
            return;
        }

        try
        {
            await lease.Turn.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (lease.HoldsPermit)
            {
                this._sessions.Release();
            }
        }
    }

    /// <summary>
    /// Whether the process can stay for the conversation's continuation: not when live sessions are off, when the answer comes through a structured-output tool (the
    /// process's history then differs from the caller's), or with limits the CLI counts per process (turns, budget).
    /// </summary>
    private bool CanHoldSession(ChatTurnRequest request)
        => this._options.MaxLiveSessions > 0
            && request.SourceHistory is not null
            && !request.ExpectsStructuredOutput
            && !request.ExtraArguments.Any(a => a.StartsWith("--max-budget-usd", StringComparison.Ordinal) || a.StartsWith("--max-turns", StringComparison.Ordinal));

    /// <summary>
    /// Everything fixed for a process's lifetime: its argv and environment, the tools it was offered, and whether its
    /// documents ask for citations (the API wants them on all documents of a request or on none).
    /// </summary>
    private static string SessionShape(CliLaunchSpec spec, ChatTurnRequest request)
        => spec.Signature() + "\0tools=" + (request.FunctionCalling?.Plan.Catalog.ToolsListResult().ToJsonString() ?? string.Empty)
            + (request.Citations ? "\0citations" : string.Empty);

    /// <summary>
    /// For a conversation starting in a new process: 1 when its history already holds an answer (the caller continues a
    /// conversation: a replay, a restored chat, a conversation named by id), else 0 (its first call, or a one-off).
    /// </summary>
    private static int EarlierCallsIn(ChatTurnRequest request) => request.History.Any(m => m.IsAssistant) ? 1 : 0;

    /// <summary>A turn and what it holds: a permit of the process budget, and the shape a live session would have.</summary>
    private sealed class TurnLease
    {
        public TurnLease(ActiveTurn turn, bool holdsPermit, string? sessionShape)
        {
            this.Turn = turn;
            this.HoldsPermit = holdsPermit;
            this.SessionShape = sessionShape;
        }

        public ActiveTurn Turn { get; }

        public bool HoldsPermit { get; }

        public string? SessionShape { get; }

        /// <summary>The calls the conversation had before this one, as far as they count for its idle timeout (see <see cref="EarlierCallsIn"/>).</summary>
        public int EarlierCalls { get; init; }

        /// <summary>The live session's id, once the turn is known to keep its process.</summary>
        public string? SessionId { get; set; }

        /// <summary>The transcript of the request's own history and prompt, when it was computed to find a session.</summary>
        public ConversationTranscript? RequestTranscript { get; set; }

        /// <summary>What a conversation continued by id held before this turn.</summary>
        public ConversationTranscript? PriorTranscript { get; set; }

        /// <summary>True for a process that ran before the call and whose request holds everything (it can start over).</summary>
        public bool Reused { get; set; }

        /// <summary>Whether the process stays as a live session once the turn is over.</summary>
        public bool WillStayLive(ChatTurnRequest request) => this.SessionShape is not null && (this.Turn.CanContinue || this.Turn.AwaitingResults) && request.SourceHistory is not null;
    }
}
