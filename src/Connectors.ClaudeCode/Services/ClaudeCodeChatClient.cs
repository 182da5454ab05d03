// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Claude through the Claude Code CLI as a Microsoft.Extensions.AI <see cref="IChatClient"/>, for MEAI pipelines and
/// Microsoft Agent Framework. Thinking comes as <see cref="TextReasoningContent"/>, usage and finish reason on the
/// response (and a <see cref="UsageContent"/> in the last streaming update). Tools in <see cref="ChatOptions.Tools"/>
/// are offered to Claude and their calls returned as <see cref="FunctionCallContent"/> for the caller (or
/// <c>UseFunctionInvocation()</c>) to run.
/// </summary>
public sealed class ClaudeCodeChatClient : IChatClient
{
    private readonly ClaudeCodeChatCore _core;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeChatClient"/> class.</summary>
    /// <param name="modelId">The model; null uses <see cref="ClaudeCodeOptions.ModelId"/>, else the CLI's default.</param>
    /// <param name="options">How to find and run the CLI; null uses the defaults.</param>
    /// <param name="loggerFactory">Logger factory for diagnostics.</param>
    public ClaudeCodeChatClient(string? modelId = null, ClaudeCodeOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(modelId, options, loggerFactory, connectionFactory: null)
    {
    }

    internal ClaudeCodeChatClient(string? modelId, ClaudeCodeOptions? options, ILoggerFactory? loggerFactory, ICliConnectionFactory? connectionFactory)
    {
        this._core = ClaudeCodeChatCore.Create(modelId, options, loggerFactory, connectionFactory, typeof(ClaudeCodeChatClient));
        this._metadata = new ChatClientMetadata("claude-code", providerUri: null, this._core.ModelId);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await foreach (var update in this._core.RunCallAsync(Call(messages, options, streaming: false), cancellationToken).ConfigureAwait(false))
        {
            if (update.Outcome is { } outcome)
            {
                var turn = outcome.Turn;
                var message = outcome.PendingCalls is { } calls
                    ? ChatContentFactory.CreateFunctionCallMessage(calls, turn, outcome.RequestedModelId)
                    : ChatContentFactory.CreateMessage(turn, outcome.RequestedModelId);
                var (usage, finishReason, properties) = ChatClientConversions.ToResponseFields(outcome.Metadata);
                return new ChatResponse(ChatClientConversions.ToResponseMessage(message, turn))
                {
                    ModelId = message.ModelId,
                    ResponseId = turn.Messages.Count > 0 ? turn.Messages[^1].Id : null,
                    ConversationId = turn.ConversationId,
                    CreatedAt = DateTimeOffset.UtcNow,
                    FinishReason = finishReason,
                    Usage = usage,
                    AdditionalProperties = properties,
                    RawRepresentation = turn.Result.Raw,
                };
            }
        }

        throw new InvalidOperationException("The call ended without an outcome.");
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in this._core.RunCallAsync(Call(messages, options, streaming: true), cancellationToken).ConfigureAwait(false))
        {
            yield return update.Kind switch
            {
                TurnUpdateKind.TextDelta => new ChatResponseUpdate(ChatRole.Assistant, [new Microsoft.Extensions.AI.TextContent(update.Text)]) { ModelId = update.ModelId },
                TurnUpdateKind.ThinkingDelta => new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(update.Text)]) { ModelId = update.ModelId },
                TurnUpdateKind.FunctionCall => new ChatResponseUpdate(ChatRole.Assistant, [ChatClientConversions.ToFunctionCall(update.Call!)]) { ModelId = update.ModelId },
                TurnUpdateKind.HostedToolCall => new ChatResponseUpdate(ChatRole.Assistant, [.. HostedToolContents.ToAIContents(update.HostedCall!, resultOnly: update.HostedCall!.ResultText is not null)]) { ModelId = update.ModelId },

                // The citation annotates the text streamed just before it; an empty text carries it, as MEAI's coalescing keeps annotations.
                TurnUpdateKind.Citation => new ChatResponseUpdate(ChatRole.Assistant, [new Microsoft.Extensions.AI.TextContent(string.Empty) { Annotations = [ChatClientConversions.ToAnnotation(update.Citation!)] }]) { ModelId = update.ModelId },
                _ => FinalUpdate(update.Outcome!),
            };
        }
    }

    private static ChatResponseUpdate FinalUpdate(CallOutcome outcome)
    {
        var final = ChatContentFactory.CreateFinalChunk(outcome.Turn, outcome.RequestedModelId);
        var (usage, finishReason, properties) = ChatClientConversions.ToResponseFields(outcome.Metadata);
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(final.Content))
        {
            contents.Add(new Microsoft.Extensions.AI.TextContent(final.Content));
        }

        if (usage is not null)
        {
            contents.Add(new UsageContent(usage));
        }

        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ModelId = outcome.ModelId,
            FinishReason = finishReason,
            AdditionalProperties = properties,
            RawRepresentation = outcome.Turn.Result.Raw,
            ConversationId = outcome.Turn.ConversationId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// Starts the ready processes (<see cref="ClaudeCodeOptions.WarmProcesses"/>) now rather than after the first call,
    /// and completes once they have started and answer: the first new conversation then skips the CLI's start-up
    /// (about 0.3 s) too. Within <see cref="ClaudeCodeOptions.MaxProcesses"/> and never ahead of a call waiting for a
    /// process; completes at once with <see cref="ClaudeCodeOptions.WarmProcesses"/> 0. A process that cannot start is
    /// not an error here: the next call starts its own and reports what is wrong.
    /// </summary>
    /// <param name="cancellationToken">Stops the waiting (not the processes, which stay ready).</param>
    /// <returns>A task that completes when the ready processes have started.</returns>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) => this._core.WarmUpAsync(cancellationToken);

    /// <summary>Completes when processes being started ahead are ready (tests and benchmarks wait on it).</summary>
    internal Task WhenWarmProcessesStartedAsync() => this._core.WhenWarmProcessesStartedAsync();

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return this._metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Cancels the calls in flight and ends every CLI process the service started: live sessions and processes started ahead.</summary>
    public void Dispose() => this._core.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static ChatCall Call(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new ChatCall(ChatClientConversions.ToChatHistory(messages), ChatClientConversions.ToSettings(options), streaming)
        {
            Plan = ChatClientConversions.ToPlan(options),
            ConversationId = options?.ConversationId,
        };
    }
}
