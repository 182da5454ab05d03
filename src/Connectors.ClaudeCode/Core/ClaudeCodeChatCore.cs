// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>The part both public faces share: settings and history to a turn request, and running it.</summary>
internal sealed class ClaudeCodeChatCore : IAsyncDisposable
{
    private readonly ChatTurnRunner _runner;
    private readonly ScratchDirectory _scratch = new();
    private readonly SessionPool _sessions;
    private readonly FoundryTokenSource? _foundryTokens;
    private int _disposed;

    public ClaudeCodeChatCore(string? modelId, ClaudeCodeOptions options, ICliConnectionFactory? factory, ILogger logger)
    {
        this.ModelId = modelId ?? options.ModelId;
        this.Options = options;
        this.Logger = logger;
        factory ??= new CliProcessFactory(logger);
        if (options.FoundryEndpoint is { } foundry)
        {
            FoundryEndpointRule.Validate(foundry, nameof(options));
        }

        if (options.FoundryCredential is { } credential)
        {
            if (options.FoundryEndpoint is null)
            {
                throw new ArgumentException("ClaudeCodeOptions.FoundryCredential needs ClaudeCodeOptions.FoundryEndpoint.", nameof(options));
            }

            ArgumentException.ThrowIfNullOrWhiteSpace(options.FoundryTokenScope, nameof(options));
            this._foundryTokens = new FoundryTokenSource(credential, options.FoundryTokenScope, options.RequestTimeout ?? FoundryTokenSource.DefaultCallLifetime, TimeProvider.System, logger);
            factory = new FoundryConnectionFactory(factory, this._foundryTokens);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.WarmProcesses, nameof(options));

        var builtInTools = BuiltInToolNames.Check(options.BuiltInTools, nameof(options));
        if (builtInTools.Count > 0 && options.WorkingDirectory is { } workingDirectory && !Directory.Exists(workingDirectory))
        {
            throw new ArgumentException($"ClaudeCodeOptions.WorkingDirectory '{workingDirectory}' does not exist; the built-in tools of ClaudeCodeOptions.BuiltInTools act in it.", nameof(options));
        }

        if (builtInTools.Count > 0 && options.ToolPermission is null)
        {
            logger.LogWarning("ClaudeCodeOptions.BuiltInTools names {Tools} but no ClaudeCodeOptions.ToolPermission callback is set: every call of them will be denied.", string.Join(", ", builtInTools));
        }

        if (builtInTools.Count > 0 && options.AdditionalCliArguments.Any(a => a == "--settings" || a.StartsWith("--settings=", StringComparison.Ordinal)))
        {
            // The connector's own --settings carries the rules that send every built-in tool call to ToolPermission;
            // a second --settings replaces them (observed on 2.1.328), and the tools would then run unasked.
            throw new ArgumentException("ClaudeCodeOptions.AdditionalCliArguments must not pass --settings when ClaudeCodeOptions.BuiltInTools names tools: it would replace the rules that send every call to ToolPermission.", nameof(options));
        }

        var (bare, reason) = BareModePolicy.Decide(options, Environment.GetEnvironmentVariables());
        if (bare && builtInTools.FirstOrDefault(t => !BuiltInToolNames.InBareMode.Contains(t)) is { } dropped)
        {
            throw new ArgumentException($"ClaudeCodeOptions.BuiltInTools names {dropped}, which bare mode removes (it keeps only Bash, Edit and Read); set ClaudeCodeOptions.BareMode to Auto or Never.", nameof(options));
        }

        logger.LogDebug("Claude Code runs {Mode}: {Reason}.", bare ? "in bare mode" : "in its normal mode", reason);
        this.Launch = new LaunchContext(options.WorkingDirectory, this._scratch, bare, bareIsAutomatic: options.BareMode == ClaudeCodeBareMode.Auto);
        if (options.MaxProcesses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxProcesses, "ClaudeCodeOptions.MaxProcesses must be at least 1.");
        }

        if (options.MaxLiveSessions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxLiveSessions, "ClaudeCodeOptions.MaxLiveSessions must not be negative.");
        }

        if (options.SingleCallSessionIdleTimeout <= TimeSpan.Zero && options.SingleCallSessionIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SingleCallSessionIdleTimeout, "ClaudeCodeOptions.SingleCallSessionIdleTimeout must be positive (or Timeout.InfiniteTimeSpan); set MaxLiveSessions to 0 for no live sessions.");
        }

        // An idle process whose CLI writes no session file loses nothing when killed, and a CLI still starting only
        // notices its input closing once it has started (measured: dispose took ~0.7 s instead of a few ms).
        var idleGrace = options.PersistSessions ? options.ShutdownGracePeriod : TimeSpan.Zero;
        this._sessions = new SessionPool(options.MaxProcesses, options.MaxLiveSessions, options.LiveSessionIdleTimeout, idleGrace, logger, options.WarmProcessIdleTimeout, options.WarmProcesses, options.SingleCallSessionIdleTimeout);
        this._runner = new ChatTurnRunner(options, this.Launch, factory, this._sessions, logger);
    }

    /// <summary>
    /// The core of a public face: validates the model id, copies the options (so later changes by the caller cannot
    /// alter a face already in use) and picks the logger.
    /// </summary>
    public static ClaudeCodeChatCore Create(string? modelId, ClaudeCodeOptions? options, ILoggerFactory? loggerFactory, ICliConnectionFactory? factory, Type face)
    {
        if (modelId is not null && string.IsNullOrWhiteSpace(modelId))
        {
            throw new ArgumentException("The model id must not be blank; pass null for the CLI's default model.", nameof(modelId));
        }

        var logger = loggerFactory?.CreateLogger(face) ?? NullLogger.Instance;
        return new ClaudeCodeChatCore(modelId, options?.Clone() ?? new ClaudeCodeOptions(), factory, logger);
    }

    /// <summary>Starts the ready processes now and completes once they have started (the faces' <c>WarmUpAsync</c>).</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref this._disposed) != 0, this);
        return this._runner.WarmUpAsync(cancellationToken);
    }

    /// <summary>Completes when the ready processes being started have started.</summary>
    public Task WhenWarmProcessesStartedAsync() => this._runner.WhenReadyProcessesStartedAsync();

    /// <summary>Cancels the calls in flight, ends every live session and process started ahead, and removes the scratch directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this._disposed, 1) != 0)
        {
            return;
        }

        this._runner.StopAll();
        try
        {
            // A ready process still starting is offered to a disposed pool, which ends it.
            await this._runner.WhenReadyProcessesStartedAsync().ConfigureAwait(false);
        }
        finally
        {
            await this._sessions.DisposeAsync().ConfigureAwait(false);
        }

        this._scratch.Dispose();
        this._foundryTokens?.Dispose();
    }

    /// <summary>Where the service's processes run and whether bare.</summary>
    public LaunchContext Launch { get; }

    /// <summary>The default model of the service, or null for the CLI's default.</summary>
    public string? ModelId { get; }

    public ClaudeCodeOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>Builds the request for a chat history and settings; throws <see cref="System.ArgumentException"/> for bad input before any process starts.</summary>
    /// <param name="chatHistory">The conversation.</param>
    /// <param name="settings">The request settings.</param>
    /// <param name="kernel">The kernel whose functions and filters apply.</param>
    /// <param name="isStreaming">Whether the caller streams (filters see it).</param>
    /// <param name="requestIndexOffset">How many model requests the call already made (a Required continuation).</param>
    /// <param name="plan">
    /// The function-calling plan to use instead of resolving the settings' behavior: the rest of a Required
    /// conversation, or the chat client's tools.
    /// </param>
    /// <param name="conversationId">A live session to continue by id, the history holding only the new messages.</param>
    public ChatTurnRequest CreateRequest(ChatHistory chatHistory, ClaudeCodePromptExecutionSettings settings, Kernel? kernel = null, bool isStreaming = false, int requestIndexOffset = 0, FunctionCallingPlan? plan = null, string? conversationId = null)
    {
        var (systemPrompt, history, prompt) = ChatHistoryConverter.Convert(chatHistory, settings.ChatSystemPrompt, continuesConversation: conversationId is not null, citations: settings.Citations == true);
        var request = new ChatTurnRequest(history, prompt)
        {
            SourceHistory = chatHistory,
            SourceHistoryCount = chatHistory.Count,
            Streaming = isStreaming,
            ConversationId = conversationId,
            ModelId = string.IsNullOrWhiteSpace(settings.ModelId) ? this.ModelId : settings.ModelId,
            SystemPrompt = systemPrompt,
            Citations = settings.Citations == true,
            WebSearchPolicy = WebSearchPolicy.From(settings.WebSearch),
            McpServers = HostedMcpServer.From(settings.McpServers),
        };
        if (request.WebSearch)
        {
            this.CheckWebSearch(request);
        }

        ExecutionSettingsMapper.Apply(settings, request, this.Options, this.Logger);

        plan ??= FunctionCallingPlan.Create(settings, chatHistory, kernel, requestIndexOffset);
        if (plan?.Mode == FunctionCallingMode.Auto && AutoFunctionInvoker.CurrentDepth >= this.Options.MaximumNestedAutoInvokeDepth)
        {
            this.Logger.LogWarning(
                "Functions are not offered: auto-invoked functions are nested {Depth} deep (ClaudeCodeOptions.MaximumNestedAutoInvokeDepth).",
                AutoFunctionInvoker.CurrentDepth);
            plan = null;
        }

        if (plan is { } resolved)
        {
            request.FunctionCalling = new FunctionCallingTurn(resolved, chatHistory, settings, isStreaming, this.Options, this.Logger, requestIndexOffset);
            if (resolved.ToolChoice() is { } toolChoice)
            {
                ExecutionSettingsMapper.ApplyToolChoice(toolChoice, settings, request, this.Options, this.Logger);
            }
        }

        return request;
    }

    /// <summary>Refuses web search where the CLI would drop the tool or run it without asking the connector.</summary>
    private void CheckWebSearch(ChatTurnRequest request)
    {
        if (this.Launch.BareFor(request))
        {
            // Bare mode keeps only Bash, Edit and Read whatever --tools names (observed on 2.1.328): the search would
            // silently not be offered.
            throw new NotSupportedException("Web search (WebSearch / web_search, or a HostedWebSearchTool) is not available in bare mode, which removes Claude Code's WebSearch tool; set ClaudeCodeOptions.BareMode to Auto or Never.");
        }

        if (this.Options.AdditionalCliArguments.Any(a => a == "--settings" || a.StartsWith("--settings=", StringComparison.Ordinal)))
        {
            throw new NotSupportedException("Web search cannot be enabled while ClaudeCodeOptions.AdditionalCliArguments passes --settings: it would replace the rules that send every WebSearch call through the connector's permission path.");
        }
    }

    /// <summary>Runs the turn.</summary>
    public IAsyncEnumerable<TurnUpdate> RunAsync(ChatTurnRequest request, CancellationToken cancellationToken)
        => this._runner.RunAsync(request, cancellationToken);

    /// <summary>
    /// Runs a whole call for a face: its turns (a forced function choice continues without forcing after its first
    /// round), with telemetry and the usage log. The last update is <see cref="TurnUpdateKind.Completed"/>.
    /// </summary>
    public async IAsyncEnumerable<CallUpdate> RunCallAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref this._disposed) != 0, this);
        var model = string.IsNullOrWhiteSpace(call.Settings.ModelId) ? this.ModelId : call.Settings.ModelId;
        using var activity = ClaudeCodeDiagnostics.StartChat(model, call.Settings, call.Streaming);
        var clock = Stopwatch.StartNew();
        var steps = this.RunTurnsAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (steps.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await steps.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex)
                {
                    ClaudeCodeDiagnostics.RecordError(activity, ex);
                    throw;
                }

                var update = steps.Current;
                if (update.Outcome is { } outcome)
                {
                    ClaudeCodeDiagnostics.RecordCompletion(activity, outcome.Metadata, model, outcome.ModelId, clock.Elapsed);
                    this.LogUsage(outcome.Metadata);
                }

                yield return update;
            }
        }
    }

    private async IAsyncEnumerable<CallUpdate> RunTurnsAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestIndex = 0;
        FunctionCallingPlan? continuation = null;
        while (true)
        {
            var request = this.CreateRequest(call.History, call.Settings, call.Kernel, call.Streaming, requestIndex, continuation ?? call.Plan, continuation is null ? call.ConversationId : null);
            var functions = request.FunctionCalling;
            TurnResult? result = null;
            await foreach (var update in this.RunAsync(request, cancellationToken).ConfigureAwait(false))
            {
                switch (update.Kind)
                {
                    case TurnUpdateKind.Completed:
                        result = update.Result;
                        break;
                    case TurnUpdateKind.FunctionCall:
                        yield return CallUpdate.FunctionCall(functions!.ToFunctionCall(update.ToolUse!), update.ToolUse!.InputJson, update.Index, requestIndex + update.RequestIndex, request.ModelId);
                        break;
                    default:
                        yield return CallUpdate.Delta(update, request.ModelId);
                        break;
                }
            }

            // The runner either completes or throws; a missing result is a bug, not a user error.
            var turn = result ?? throw new InvalidOperationException("The turn ended without a result.");
            if (functions is { StoppedAfterFirstRound: true, TerminationMessage: null })
            {
                // Required forced the first request only; the conversation goes on without the forced choice.
                requestIndex += functions.RequestCount;
                continuation = functions.Plan.WithoutForcing();
                continue;
            }

            yield return CallUpdate.Completed(new CallOutcome(turn, request.ModelId, TurnMetadataBuilder.Build(turn))
            {
                TerminationMessage = functions?.TerminationMessage,
                PendingCalls = functions?.PendingCalls,
            });
            yield break;
        }
    }

    private void LogUsage(IReadOnlyDictionary<string, object?> metadata)
    {
        if (this.Logger.IsEnabled(LogLevel.Information)
            && metadata.TryGetValue(ClaudeCodeMetadataKeys.Usage, out var value)
            && value is Microsoft.Extensions.AI.UsageDetails usage)
        {
            this.Logger.LogInformation(
                "Prompt tokens: {PromptTokens}. Completion tokens: {CompletionTokens}. Total tokens: {TotalTokens}. Cost: {CostUsd} USD.",
                usage.InputTokenCount,
                usage.OutputTokenCount,
                usage.TotalTokenCount,
                metadata.TryGetValue(ClaudeCodeMetadataKeys.CostUsd, out var cost) && cost is double usd ? Math.Round(usd, 6) : null);
        }
    }
}
