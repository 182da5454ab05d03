// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One call from a public face, in the face-neutral terms the core runs it in.</summary>
/// <param name="History">The conversation (for MEAI, converted from its messages); auto-invoke extends it.</param>
/// <param name="Settings">The request settings (for MEAI, mapped from <c>ChatOptions</c>).</param>
/// <param name="Streaming">Whether the caller streams (filters see it).</param>
internal sealed record ChatCall(ChatHistory History, ClaudeCodePromptExecutionSettings Settings, bool Streaming)
{
    /// <summary>The kernel whose functions and filters apply (SK face).</summary>
    public Kernel? Kernel { get; init; }

    /// <summary>The tools to offer instead of the settings' function choice behavior (MEAI face).</summary>
    public FunctionCallingPlan? Plan { get; init; }

    /// <summary>A live session to continue by id; the history then holds only the new messages.</summary>
    public string? ConversationId { get; init; }
}
