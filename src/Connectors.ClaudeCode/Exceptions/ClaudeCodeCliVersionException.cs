// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>The Claude Code CLI is older than the connector supports.</summary>
public sealed class ClaudeCodeCliVersionException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliVersionException"/> class.</summary>
    public ClaudeCodeCliVersionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliVersionException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeCliVersionException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeCliVersionException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeCliVersionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The version the CLI reported.</summary>
    public string? FoundVersion { get; init; }

    /// <summary>The oldest version the connector supports.</summary>
    public string? MinimumVersion { get; init; }
}
