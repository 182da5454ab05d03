// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>How the model's tool calls are handled in a turn.</summary>
internal enum FunctionCallingMode
{
    /// <summary>Functions are described but every call is refused (<c>FunctionChoiceBehavior.None</c>).</summary>
    None,

    /// <summary>Calls run inside the turn, through the kernel's auto-invocation filters.</summary>
    Auto,

    /// <summary>The turn stops at the model's calls and returns them to the caller (<c>autoInvoke: false</c>).</summary>
    Manual,
}
