// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Net;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>The API refused the request for rate or usage limits (HTTP 429).</summary>
public sealed class ClaudeCodeRateLimitException : ClaudeCodeApiException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeRateLimitException"/> class.</summary>
    public ClaudeCodeRateLimitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeRateLimitException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeRateLimitException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeRateLimitException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeRateLimitException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeRateLimitException"/> class with a status.</summary>
    /// <param name="statusCode">The HTTP status (429).</param>
    /// <param name="responseContent">The error text the CLI reported.</param>
    /// <param name="message">The error message.</param>
    public ClaudeCodeRateLimitException(HttpStatusCode? statusCode, string? responseContent, string? message)
        : base(statusCode, responseContent, message)
    {
    }

    /// <summary>When the limit resets, if the CLI reported it (from its latest rate-limit event).</summary>
    public DateTimeOffset? ResetsAt { get; init; }
}
