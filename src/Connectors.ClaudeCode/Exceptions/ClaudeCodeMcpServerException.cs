// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// One of a request's MCP servers (<see cref="ClaudeCodePromptExecutionSettings.McpServers"/>, <c>HostedMcpServerTool</c>)
/// could not be used: Claude Code failed to connect to it, or it did not connect within
/// <see cref="ClaudeCodeOptions.McpConnectTimeout"/>. Thrown before the model runs: nothing was sent to the API.
/// </summary>
public sealed class ClaudeCodeMcpServerException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeMcpServerException"/> class.</summary>
    public ClaudeCodeMcpServerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeMcpServerException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeMcpServerException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeMcpServerException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeMcpServerException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The server's name.</summary>
    public string? ServerName { get; init; }

    /// <summary>Claude Code's status for the server (<c>failed</c>, <c>pending</c>, <c>needs-auth</c>, …).</summary>
    public string? Status { get; init; }
}
