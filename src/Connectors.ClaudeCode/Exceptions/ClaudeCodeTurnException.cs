// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The CLI ended a turn with an error that is not an HTTP status: maximum turns or budget reached, structured
/// output retries exhausted, an output limit, or another <c>is_error</c> result.
/// </summary>
public sealed class ClaudeCodeTurnException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTurnException"/> class.</summary>
    public ClaudeCodeTurnException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTurnException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeTurnException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTurnException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeTurnException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The result <c>subtype</c>, e.g. <c>error_max_turns</c>.</summary>
    public string? Subtype { get; init; }

    /// <summary>The result <c>terminal_reason</c>, e.g. <c>max_turns</c> or <c>budget_exhausted</c>.</summary>
    public string? TerminalReason { get; init; }
}
