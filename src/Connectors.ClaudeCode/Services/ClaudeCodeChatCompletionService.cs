// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
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
        var call = Call(chatHistory, executionSettings, kernel, streaming: false);
        await foreach (var update in this._core.RunCallAsync(call, cancellationToken).ConfigureAwait(false))
        {
            if (update.Outcome is { } outcome)
            {
                // As SK's connectors do on Terminate: the last function result is the answer.
                return [outcome.TerminationMessage
                    ?? (outcome.PendingCalls is { } calls
                        ? ChatContentFactory.CreateFunctionCallMessage(calls, outcome.Turn, outcome.RequestedModelId)
                        : ChatContentFactory.CreateMessage(outcome.Turn, outcome.RequestedModelId))];
            }
        }

        throw new InvalidOperationException("The call ended without an outcome.");
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Call(chatHistory, executionSettings, kernel, streaming: true);
        await foreach (var update in this._core.RunCallAsync(call, cancellationToken).ConfigureAwait(false))
        {
            yield return update switch
            {
                { Outcome.TerminationMessage: { } terminated } => new StreamingChatMessageContent(terminated.Role, terminated.Content, modelId: update.ModelId, metadata: update.Outcome.Metadata),
                { Outcome: { } outcome } => ChatContentFactory.CreateFinalChunk(outcome.Turn, outcome.RequestedModelId),
                { Kind: TurnUpdateKind.FunctionCall } => ChatContentFactory.CreateFunctionCallChunk(update),
                _ => ChatContentFactory.CreateChunk(update),
            };
        }
    }

    private static ChatCall Call(ChatHistory chatHistory, PromptExecutionSettings? executionSettings, Kernel? kernel, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        return new ChatCall(chatHistory, ClaudeCodePromptExecutionSettings.FromExecutionSettings(executionSettings), streaming) { Kernel = kernel };
    }
}
