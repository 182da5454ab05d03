// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The API stream broke in the middle of an answer and the answer Claude Code got on its retry is not the one that was
/// being streamed: the text already streamed to the caller cannot be taken back. <see cref="ClaudeCodeException.TextSoFar"/> is what the
/// caller received. Retry the call (or call without streaming, which always returns the final answer).
/// </summary>
public sealed class ClaudeCodeStreamRestartedException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeStreamRestartedException"/> class.</summary>
    public ClaudeCodeStreamRestartedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeStreamRestartedException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeStreamRestartedException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeStreamRestartedException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeStreamRestartedException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
