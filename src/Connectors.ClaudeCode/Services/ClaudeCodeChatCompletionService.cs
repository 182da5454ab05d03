// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Services;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Chat completion with Claude through the Claude Code CLI, using whatever the CLI is logged into
/// (a Claude subscription, <c>CLAUDE_CODE_OAUTH_TOKEN</c>, an API key, Bedrock or Vertex).
/// </summary>
public sealed class ClaudeCodeChatCompletionService : IChatCompletionService
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
        if (modelId is not null && string.IsNullOrWhiteSpace(modelId))
        {
            throw new ArgumentException("The model id must not be blank; pass null for the CLI's default model.", nameof(modelId));
        }

        // Options are copied so later changes by the caller cannot alter a service that is already in use.
        var ownOptions = options?.Clone() ?? new ClaudeCodeOptions();
        var logger = loggerFactory?.CreateLogger(typeof(ClaudeCodeChatCompletionService)) ?? NullLogger.Instance;
        this._core = new ClaudeCodeChatCore(modelId, ownOptions, connectionFactory ?? new CliProcessFactory(logger), logger);
        if (this._core.ModelId is not null)
        {
            this._attributes[AIServiceExtensions.ModelIdKey] = this._core.ModelId;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> Attributes => this._attributes;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(executionSettings);
        var request = this._core.CreateRequest(chatHistory, settings);

        TurnResult? result = null;
        await foreach (var update in this._core.RunAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (update.Kind == TurnUpdateKind.Completed)
            {
                result = update.Result;
            }
        }

        // The runner either completes or throws; a missing result is a bug, not a user error.
        var message = ChatContentFactory.CreateMessage(result ?? throw new InvalidOperationException("The turn ended without a result."), request.ModelId);
        this.LogUsage(message.Metadata);
        return [message];
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
        var request = this._core.CreateRequest(chatHistory, settings);

        await foreach (var update in this._core.RunAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (update.Kind == TurnUpdateKind.Completed)
            {
                var final = ChatContentFactory.CreateFinalChunk(update.Result!, request.ModelId);
                this.LogUsage(final.Metadata);
                yield return final;
            }
            else
            {
                yield return ChatContentFactory.CreateChunk(update, request.ModelId);
            }
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
