// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One step of a running turn, in the order the CLI reported it.</summary>
internal sealed class TurnUpdate
{
    private TurnUpdate(TurnUpdateKind kind, string? text, TurnResult? result, Cli.Wire.CliToolUseBlock? toolUse = null, int index = 0, int requestIndex = 0)
    {
        this.Kind = kind;
        this.Text = text;
        this.Result = result;
        this.ToolUse = toolUse;
        this.Index = index;
        this.RequestIndex = requestIndex;
    }

    /// <summary>The <c>tool_use</c> block of <see cref="TurnUpdateKind.FunctionCall"/>.</summary>
    public Cli.Wire.CliToolUseBlock? ToolUse { get; }

    /// <summary>The position of the call among the calls of its model response.</summary>
    public int Index { get; }

    /// <summary>Which model request of the turn the update belongs to (0 for the first).</summary>
    public int RequestIndex { get; }

    public TurnUpdateKind Kind { get; }

    /// <summary>The delta text of <see cref="TurnUpdateKind.TextDelta"/> and <see cref="TurnUpdateKind.ThinkingDelta"/>.</summary>
    public string? Text { get; }

    /// <summary>The citation of <see cref="TurnUpdateKind.Citation"/>.</summary>
    public Cli.Wire.CliCitation? Citation { get; private init; }

    /// <summary>The call of <see cref="TurnUpdateKind.HostedToolCall"/>.</summary>
    public BuiltInTools.HostedToolCall? HostedCall { get; private init; }

    /// <summary>The outcome, on <see cref="TurnUpdateKind.Completed"/>.</summary>
    public TurnResult? Result { get; }

    public static TurnUpdate TextDelta(string text) => new(TurnUpdateKind.TextDelta, text, null);

    public static TurnUpdate ThinkingDelta(string text) => new(TurnUpdateKind.ThinkingDelta, text, null);

    public static TurnUpdate CitationDelta(Cli.Wire.CliCitation citation) => new(TurnUpdateKind.Citation, null, null) { Citation = citation };

    public static TurnUpdate HostedTool(BuiltInTools.HostedToolCall call) => new(TurnUpdateKind.HostedToolCall, null, null) { HostedCall = call };

    public static TurnUpdate Completed(TurnResult result) => new(TurnUpdateKind.Completed, null, result);

    public static TurnUpdate FunctionCall(Cli.Wire.CliToolUseBlock toolUse, int index, int requestIndex) => new(TurnUpdateKind.FunctionCall, null, null, toolUse, index, requestIndex);
}
