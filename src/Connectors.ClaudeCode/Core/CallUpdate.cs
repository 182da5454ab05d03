// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One step of a call as the faces see it: a delta, a complete function call, or the outcome.</summary>
internal sealed class CallUpdate
{
    private CallUpdate(TurnUpdateKind kind, string? modelId)
    {
        this.Kind = kind;
        this.ModelId = modelId;
    }

    public TurnUpdateKind Kind { get; }

    /// <summary>The model the request named.</summary>
    public string? ModelId { get; }

    /// <summary>The delta of <see cref="TurnUpdateKind.TextDelta"/> and <see cref="TurnUpdateKind.ThinkingDelta"/>.</summary>
    public string? Text { get; private init; }

    /// <summary>The citation of <see cref="TurnUpdateKind.Citation"/>.</summary>
    public ClaudeCodeCitation? Citation { get; private init; }

    /// <summary>The call of <see cref="TurnUpdateKind.FunctionCall"/>.</summary>
    public FunctionCallContent? Call { get; private init; }

    /// <summary>The call's arguments as the model wrote them (JSON).</summary>
    public string? ArgumentsJson { get; private init; }

    /// <summary>The call's position among the calls of its model response.</summary>
    public int CallIndex { get; private init; }

    /// <summary>Which model request of the whole call the function call belongs to (0 for the first).</summary>
    public int RequestIndex { get; private init; }

    /// <summary>The call of <see cref="TurnUpdateKind.HostedToolCall"/>.</summary>
    public BuiltInTools.HostedToolCall? HostedCall { get; private init; }

    /// <summary>The outcome, on <see cref="TurnUpdateKind.Completed"/>.</summary>
    public CallOutcome? Outcome { get; private init; }

    public static CallUpdate Delta(TurnUpdate update, string? modelId)
        => new(update.Kind, modelId) { Text = update.Text, Citation = update.Citation is { } citation ? Citations.ToPublic(citation) : null, HostedCall = update.HostedCall };

    public static CallUpdate FunctionCall(FunctionCallContent call, string argumentsJson, int callIndex, int requestIndex, string? modelId)
        => new(TurnUpdateKind.FunctionCall, modelId) { Call = call, ArgumentsJson = argumentsJson, CallIndex = callIndex, RequestIndex = requestIndex };

    public static CallUpdate Completed(CallOutcome outcome) => new(TurnUpdateKind.Completed, outcome.RequestedModelId) { Outcome = outcome };
}
