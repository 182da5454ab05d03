// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>A call ran longer than <see cref="ClaudeCodeOptions.RequestTimeout"/>; its CLI process was ended.</summary>
public sealed class ClaudeCodeTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTimeoutException"/> class.</summary>
    public ClaudeCodeTimeoutException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTimeoutException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeTimeoutException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeTimeoutException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeTimeoutException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; init; }
}
