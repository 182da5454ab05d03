// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Maps the API's <c>stop_reason</c> to <see cref="ChatFinishReason"/>.</summary>
internal static class FinishReasonMapper
{
    public static ChatFinishReason? Map(string? stopReason)
        => stopReason switch
        {
            null => null,
            "end_turn" or "stop_sequence" or "pause_turn" => ChatFinishReason.Stop,
            "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
            "tool_use" => ChatFinishReason.ToolCalls,
            "refusal" => ChatFinishReason.ContentFilter,
            _ => new ChatFinishReason(stopReason),
        };
}
