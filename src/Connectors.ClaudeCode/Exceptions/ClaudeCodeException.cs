// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// A failure of a Claude Code call that is not an HTTP error of the Messages API (those are
/// <see cref="ClaudeCodeApiException"/>). Carries the CLI's raw <c>result</c> line and the tail of its stderr.
/// </summary>
public class ClaudeCodeException : KernelException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeException"/> class.</summary>
    public ClaudeCodeException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The CLI's <c>result</c> line (JSON) for the failed turn, when the CLI wrote one.</summary>
    public string? ResultJson { get; init; }

    /// <summary>The last lines the CLI wrote on stderr.</summary>
    public string? StderrTail { get; init; }

    /// <summary>The answer text the call had produced when it failed (what a streaming caller received), or null for none.</summary>
    public string? TextSoFar { get; internal set; }
}
