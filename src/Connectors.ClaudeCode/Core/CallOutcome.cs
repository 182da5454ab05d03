// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>How a call ended: its last turn, and what the faces build their answer from.</summary>
internal sealed class CallOutcome
{
    public CallOutcome(TurnResult turn, string? requestedModelId, IReadOnlyDictionary<string, object?> metadata)
    {
        this.Turn = turn;
        this.RequestedModelId = requestedModelId;
        this.Metadata = metadata;
    }

    /// <summary>The last turn of the call.</summary>
    public TurnResult Turn { get; }

    /// <summary>The model the request named (the answer's model when the API reported none).</summary>
    public string? RequestedModelId { get; }

    /// <summary>The answer's metadata (usage, finish reason, cost, …), keyed as <see cref="ClaudeCodeMetadataKeys"/>.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; }

    /// <summary>The tool message that ends the call when a filter asked to terminate auto-invocation.</summary>
    public ChatMessageContent? TerminationMessage { get; init; }

    /// <summary>The model's function calls, when they are returned to the caller (manual mode).</summary>
    public ChatMessageContent? PendingCalls { get; init; }

    /// <summary>The answer's model: as the API reported it, else as requested.</summary>
    public string? ModelId => this.Turn.ModelId ?? this.RequestedModelId;
}
