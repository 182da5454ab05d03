// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>The Claude Code CLI could not be found or started. The message says where the connector looked and how to install it.</summary>
public sealed class ClaudeCodeCliNotFoundException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliNotFoundException"/> class.</summary>
    public ClaudeCodeCliNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliNotFoundException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeCliNotFoundException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliNotFoundException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeCliNotFoundException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The path that was tried, when a specific one was.</summary>
    public string? CliPath { get; init; }
}
