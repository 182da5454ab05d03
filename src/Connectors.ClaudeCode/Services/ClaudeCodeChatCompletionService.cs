// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using Microsoft.SemanticKernel.Services;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Chat completion with Claude through the Claude Code CLI, using whatever the CLI is logged into
/// (a Claude subscription, <c>CLAUDE_CODE_OAUTH_TOKEN</c>, an API key, Bedrock or Vertex).
/// Kernel functions become Claude tools under <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>.
/// </summary>
public sealed class ClaudeCodeChatCompletionService : IChatCompletionService, IAsyncDisposable, IDisposable
{
    private readonly ClaudeCodeChatCore _core;
    private readonly Dictionary<string, object?> _attributes = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeChatCompletionService"/> class.</summary>
    /// <param name="modelId">The model (e.g. <c>claude-sonnet-4-5</c> or an alias such as <c>sonnet</c>); null uses <see cref="ClaudeCodeOptions.ModelId"/>, else the CLI's default.</param>
    /// <param name="options">How to find and run the CLI; null uses the defaults.</param>
    /// <param name="loggerFactory">Logger factory for diagnostics.</param>
    public ClaudeCodeChatCompletionService(string? modelId = null, ClaudeCodeOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(modelId, options, loggerFactory, connectionFactory: null)
    {
    }

    internal ClaudeCodeChatCompletionService(string? modelId, ClaudeCodeOptions? options, ILoggerFactory? loggerFactory, ICliConnectionFactory? connectionFactory)
    {
        this._core = ClaudeCodeChatCore.Create(modelId, options, loggerFactory, connectionFactory, typeof(ClaudeCodeChatCompletionService));
        if (this._core.ModelId is not null)
        {
            this._attributes[AIServiceExtensions.ModelIdKey] = this._core.ModelId;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> Attributes => this._attributes;

    /// <summary>Completes when processes being started ahead are ready (tests and benchmarks wait on it).</summary>
    internal Task WhenWarmProcessesStartedAsync() => this._core.WhenWarmProcessesStartedAsync();

    /// <summary>Cancels the calls in flight and ends every CLI process the service started: live sessions and processes started ahead.</summary>
    /// <returns>A task that completes when the processes have ended.</returns>
    public ValueTask DisposeAsync() => this._core.DisposeAsync();

    /// <summary>Cancels the calls in flight and ends every CLI process the service started: live sessions and processes started ahead.</summary>
    public void Dispose() => this._core.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(executionSettings);
        var model = this.ModelFor(settings);
        using var activity = ClaudeCodeDiagnostics.StartChat(model, settings, streaming: false);
        var clock = Stopwatch.StartNew();
        try
        {
            var message = await this.GetMessageAsync(chatHistory, settings, kernel, cancellationToken).ConfigureAwait(false);
            ClaudeCodeDiagnostics.RecordCompletion(activity, message.Metadata, model, message.ModelId, clock.Elapsed);
            return [message];
        }
        catch (Exception ex)
        {
            ClaudeCodeDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(executionSettings);
        var model = this.ModelFor(settings);
        using var activity = ClaudeCodeDiagnostics.StartChat(model, settings, streaming: true);
        var clock = Stopwatch.StartNew();
        var chunks = this.StreamAsync(chatHistory, settings, kernel, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (chunks.ConfigureAwait(false))
        {
            StreamingChatMessageContent? last = null;
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    ClaudeCodeDiagnostics.RecordError(activity, ex);
                    throw;
                }

                last = chunks.Current;
                yield return last;
            }

            ClaudeCodeDiagnostics.RecordCompletion(activity, last?.Metadata, model, last?.ModelId, clock.Elapsed);
        }
    }

    private string? ModelFor(ClaudeCodePromptExecutionSettings settings)
        => string.IsNullOrWhiteSpace(settings.ModelId) ? this._core.ModelId : settings.ModelId;

    private async Task<ChatMessageContent> GetMessageAsync(ChatHistory chatHistory, ClaudeCodePromptExecutionSettings settings, Kernel? kernel, CancellationToken cancellationToken)
    {
        var requestIndex = 0;
        FunctionCallingPlan? continuation = null;
        while (true)
        {
            var request = this._core.CreateRequest(chatHistory, settings, kernel, isStreaming: false, requestIndex, continuation);
            TurnResult? result = null;
            await foreach (var update in this._core.RunAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (update.Kind == TurnUpdateKind.Completed)
                {
                    result = update.Result;
                }
            }

            // The runner either completes or throws; a missing result is a bug, not a user error.
            var turn = result ?? throw new InvalidOperationException("The turn ended without a result.");
            var functions = request.FunctionCalling;
            if (functions?.TerminationMessage is { } terminated)
            {
                // As SK's connectors do on Terminate: the last function result is the answer.
                return terminated;
            }

            if (functions?.StoppedAfterFirstRound == true)
            {
                // Required forced the first request only; the conversation goes on without the forced choice.
                requestIndex = functions.RequestCount + requestIndex;
                continuation = functions.Plan.WithoutForcing();
                continue;
            }

            var message = functions?.PendingCalls is { } pending
                ? ChatContentFactory.CreateFunctionCallMessage(pending, turn, request.ModelId)
                : ChatContentFactory.CreateMessage(turn, request.ModelId);
            this.LogUsage(message.Metadata);
            return message;
        }
    }

    private async IAsyncEnumerable<StreamingChatMessageContent> StreamAsync(
        ChatHistory chatHistory,
        ClaudeCodePromptExecutionSettings settings,
        Kernel? kernel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestIndex = 0;
        FunctionCallingPlan? continuation = null;
        while (true)
        {
            var request = this._core.CreateRequest(chatHistory, settings, kernel, isStreaming: true, requestIndex, continuation);
            var functions = request.FunctionCalling;
            TurnResult? result = null;
            await foreach (var update in this._core.RunAsync(request, cancellationToken).ConfigureAwait(false))
            {
                switch (update.Kind)
                {
                    case TurnUpdateKind.Completed:
                        result = update.Result;
                        break;
                    case TurnUpdateKind.FunctionCall:
                        yield return ChatContentFactory.CreateFunctionCallChunk(functions!.ToFunctionCall(update.Block), update, requestIndex, request.ModelId);
                        break;
                    default:
                        yield return ChatContentFactory.CreateChunk(update, request.ModelId);
                        break;
                }
            }

            var turn = result ?? throw new InvalidOperationException("The turn ended without a result.");
            if (functions?.TerminationMessage is { } terminated)
            {
                yield return new StreamingChatMessageContent(terminated.Role, terminated.Content, modelId: request.ModelId, metadata: TurnMetadataBuilder.Build(turn));
                yield break;
            }

            if (functions?.StoppedAfterFirstRound == true)
            {
                requestIndex = functions.RequestCount + requestIndex;
                continuation = functions.Plan.WithoutForcing();
                continue;
            }

            var final = ChatContentFactory.CreateFinalChunk(turn, request.ModelId);
            this.LogUsage(final.Metadata);
            yield return final;
            yield break;
        }
    }

    private void LogUsage(IReadOnlyDictionary<string, object?>? metadata)
    {
        var logger = this._core.Logger;
        if (logger.IsEnabled(LogLevel.Information)
            && metadata?.TryGetValue(ClaudeCodeMetadataKeys.Usage, out var value) == true
            && value is Microsoft.Extensions.AI.UsageDetails usage)
        {
            logger.LogInformation(
                "Prompt tokens: {PromptTokens}. Completion tokens: {CompletionTokens}. Total tokens: {TotalTokens}. Cost: {CostUsd} USD.",
                usage.InputTokenCount,
                usage.OutputTokenCount,
                usage.TotalTokenCount,
                metadata.TryGetValue(ClaudeCodeMetadataKeys.CostUsd, out var cost) ? cost : null);
        }
    }
}
