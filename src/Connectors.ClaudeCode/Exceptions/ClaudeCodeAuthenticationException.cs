// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The credential the app gave the connector (for Microsoft Foundry, a <c>TokenCredential</c>) gave no token. Thrown
/// before any CLI process starts; <see cref="Exception.InnerException"/> holds the credential's own error.
/// </summary>
public sealed class ClaudeCodeAuthenticationException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeAuthenticationException"/> class.</summary>
    public ClaudeCodeAuthenticationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeAuthenticationException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeAuthenticationException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeAuthenticationException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeAuthenticationException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
