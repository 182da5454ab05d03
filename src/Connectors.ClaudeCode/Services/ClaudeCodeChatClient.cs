// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
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
        var (request, settings, model) = this.CreateRequest(messages, options, isStreaming: false);
        using var activity = ClaudeCodeDiagnostics.StartChat(model, settings, streaming: false);
        var clock = Stopwatch.StartNew();
        try
        {
            TurnResult? result = null;
            await foreach (var update in this._core.RunAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (update.Kind == TurnUpdateKind.Completed)
                {
                    result = update.Result;
                }
            }

            var turn = result ?? throw new InvalidOperationException("The turn ended without a result.");
            var message = request.FunctionCalling?.PendingCalls is { } pending
                ? ChatContentFactory.CreateFunctionCallMessage(pending, turn, request.ModelId)
                : ChatContentFactory.CreateMessage(turn, request.ModelId);
            ClaudeCodeDiagnostics.RecordCompletion(activity, message.Metadata, model, message.ModelId, clock.Elapsed);

            var (usage, finishReason, properties) = ChatClientConversions.ToResponseFields(message.Metadata);
            return new ChatResponse(ChatClientConversions.ToChatMessage(message))
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
        catch (Exception ex)
        {
            ClaudeCodeDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (request, settings, model) = this.CreateRequest(messages, options, isStreaming: true);
        using var activity = ClaudeCodeDiagnostics.StartChat(model, settings, streaming: true);
        var clock = Stopwatch.StartNew();
        var updates = this._core.RunAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex)
                {
                    ClaudeCodeDiagnostics.RecordError(activity, ex);
                    throw;
                }

                var update = updates.Current;
                switch (update.Kind)
                {
                    case TurnUpdateKind.TextDelta:
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [new Microsoft.Extensions.AI.TextContent(update.Text)]) { ModelId = request.ModelId };
                        break;
                    case TurnUpdateKind.ThinkingDelta:
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(update.Text)]) { ModelId = request.ModelId };
                        break;
                    case TurnUpdateKind.FunctionCall:
                        var call = ChatClientConversions.ToFunctionCall(request.FunctionCalling!.ToFunctionCall(update.Block));
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [call]) { ModelId = request.ModelId };
                        break;
                    case TurnUpdateKind.Completed:
                        var final = ChatContentFactory.CreateFinalChunk(update.Result!, request.ModelId);
                        ClaudeCodeDiagnostics.RecordCompletion(activity, final.Metadata, model, final.ModelId, clock.Elapsed);
                        var (usage, finishReason, properties) = ChatClientConversions.ToResponseFields(final.Metadata);
                        var contents = new List<AIContent>();
                        if (!string.IsNullOrEmpty(final.Content))
                        {
                            contents.Add(new Microsoft.Extensions.AI.TextContent(final.Content));
                        }

                        if (usage is not null)
                        {
                            contents.Add(new UsageContent(usage));
                        }

                        yield return new ChatResponseUpdate(ChatRole.Assistant, contents)
                        {
                            ModelId = final.ModelId,
                            FinishReason = finishReason,
                            AdditionalProperties = properties,
                            RawRepresentation = update.Result!.Result.Raw,
                            ConversationId = update.Result.ConversationId,
                            CreatedAt = DateTimeOffset.UtcNow,
                        };
                        break;
                }
            }
        }
    }

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

    private (ChatTurnRequest Request, ClaudeCodePromptExecutionSettings Settings, string? Model) CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool isStreaming)
    {
        var history = ChatClientConversions.ToChatHistory(messages);
        var settings = ChatClientConversions.ToSettings(options);
        var request = this._core.CreateRequest(history, settings, kernel: null, isStreaming, requestIndexOffset: 0, plan: ChatClientConversions.ToPlan(options), conversationId: options?.ConversationId);
        return (request, settings, request.ModelId);
    }
}
