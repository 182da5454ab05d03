// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One step of a running turn, in the order the CLI reported it.</summary>
internal sealed class TurnUpdate
{
    private TurnUpdate(TurnUpdateKind kind, string? text, TurnResult? result)
    {
        this.Kind = kind;
        this.Text = text;
        this.Result = result;
    }

    public TurnUpdateKind Kind { get; }

    /// <summary>The delta text of <see cref="TurnUpdateKind.TextDelta"/> and <see cref="TurnUpdateKind.ThinkingDelta"/>.</summary>
    public string? Text { get; }

    /// <summary>The outcome, on <see cref="TurnUpdateKind.Completed"/>.</summary>
    public TurnResult? Result { get; }

    public static TurnUpdate TextDelta(string text) => new(TurnUpdateKind.TextDelta, text, null);

    public static TurnUpdate ThinkingDelta(string text) => new(TurnUpdateKind.ThinkingDelta, text, null);

    public static TurnUpdate Completed(TurnResult result) => new(TurnUpdateKind.Completed, null, result);
}
