// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>The CLI's output broke the stream-json protocol (for example a line that is not JSON).</summary>
public sealed class ClaudeCodeProtocolException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProtocolException"/> class.</summary>
    public ClaudeCodeProtocolException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProtocolException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeProtocolException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeProtocolException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeProtocolException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The offending output line, cut to a readable length.</summary>
    public string? OffendingLine { get; init; }
}
