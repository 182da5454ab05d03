// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>Where a call sits in the turn: the fields SK's auto-invocation filters see.</summary>
internal sealed class FunctionCallSite
{
    public required string ToolCallId { get; init; }

    public required int RequestSequenceIndex { get; init; }

    public required int FunctionSequenceIndex { get; init; }

    public required int FunctionCount { get; init; }

    public required bool IsStreaming { get; init; }

    public PromptExecutionSettings? ExecutionSettings { get; init; }
}
