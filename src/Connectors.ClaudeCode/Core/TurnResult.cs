// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>What a finished turn produced: the model's messages and the CLI's <c>result</c>.</summary>
internal sealed class TurnResult
{
    public TurnResult(CliResultMessage result, IReadOnlyList<AssistantTurnMessage> messages, string? modelId)
    {
        this.Result = result;
        this.Messages = messages;
        this.ModelId = modelId;
    }

    public CliResultMessage Result { get; }

    /// <summary>The model responses of the turn, in order (more than one when tools ran).</summary>
    public IReadOnlyList<AssistantTurnMessage> Messages { get; }

    /// <summary>The model that answered, as the API reported it.</summary>
    public string? ModelId { get; }

    /// <summary>The API's stop reason: the result's, or <c>max_tokens</c> when the connector ended the turn at the output limit.</summary>
    public string? StopReason => this.StoppedAt ?? (this.StoppedForFunctionCalls ? "tool_use" : this.Result.StopReason);

    /// <summary>True when the connector ended the turn at the model's function calls (manual mode).</summary>
    public bool StoppedForFunctionCalls { get; init; }

    /// <summary>
    /// The stop reason at which the connector ended the turn itself (<c>max_tokens</c>, <c>refusal</c>), because the
    /// CLI would otherwise have asked the model to go on; null when the turn ended by itself.
    /// </summary>
    public string? StoppedAt { get; init; }

    /// <summary>The id of the live session that keeps this conversation after the turn, or null when its process ends.</summary>
    public string? ConversationId { get; set; }

    /// <summary>
    /// This turn's cost, API time and per-model usage: the CLI's totals for its process less those of its previous
    /// result. Empty for a turn held at function calls (the CLI reports no result yet; the call that completes the turn
    /// reports both parts).
    /// </summary>
    public TurnShare Share { get; init; } = TurnShare.None;

    /// <summary>How many times the CLI retried a failed API request during the turn.</summary>
    public int ApiRetries { get; init; }

    /// <summary>The stop sequence the API stopped on, when it did.</summary>
    public string? StopSequence { get; init; }

    /// <summary>The calls the CLI ran (or was refused) itself in the turn: built-in tools, MCP servers; null when the turn had no such tools.</summary>
    public IReadOnlyList<BuiltInTools.HostedToolCall>? HostedToolCalls { get; init; }

    /// <summary>The latest <c>rate_limit_event</c> the CLI reported during the turn.</summary>
    public CliRateLimitEvent? RateLimit { get; init; }
}
