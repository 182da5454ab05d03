// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>The CLI process ended in the middle of a call (it crashed, was killed, or is not the Claude Code CLI).</summary>
public sealed class ClaudeCodeProcessException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProcessException"/> class.</summary>
    public ClaudeCodeProcessException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProcessException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeProcessException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProcessException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeProcessException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The process exit code, when known.</summary>
    public int? ExitCode { get; init; }
}
