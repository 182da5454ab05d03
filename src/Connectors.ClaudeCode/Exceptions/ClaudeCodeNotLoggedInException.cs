// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The Claude Code CLI has no credentials: no login, no <c>CLAUDE_CODE_OAUTH_TOKEN</c>, no <c>ANTHROPIC_API_KEY</c>.
/// The message says how to log in.
/// </summary>
public sealed class ClaudeCodeNotLoggedInException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeNotLoggedInException"/> class.</summary>
    public ClaudeCodeNotLoggedInException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeNotLoggedInException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeNotLoggedInException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeNotLoggedInException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeNotLoggedInException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
