// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>What a <see cref="TurnUpdate"/> carries.</summary>
internal enum TurnUpdateKind
{
    /// <summary>A piece of answer text as the model streams it.</summary>
    TextDelta,

    /// <summary>A piece of thinking text as the model streams it.</summary>
    ThinkingDelta,

    /// <summary>A citation the model attached to the text it is streaming; <see cref="TurnUpdate.Citation"/> is it.</summary>
    Citation,

    /// <summary>The model completed a call of a kernel function; <see cref="TurnUpdate.ToolUse"/> is its <c>tool_use</c> block.</summary>
    FunctionCall,

    /// <summary>
    /// The model called a tool the CLI runs itself (built-in, an MCP server's), or such a call ended;
    /// <see cref="TurnUpdate.HostedCall"/> is the call as known then (with its result once it ended).
    /// </summary>
    HostedToolCall,

    /// <summary>The turn ended successfully; <see cref="TurnUpdate.Result"/> holds everything known about it.</summary>
    Completed,
}
