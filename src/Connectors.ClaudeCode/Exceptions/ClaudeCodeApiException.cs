// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Net;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The Messages API answered with an error, as the CLI reported it. <see cref="HttpOperationException.StatusCode"/>
/// holds the HTTP status when the API gave one (400, 401, 403, 404, 413, 429, 500, 529, …), so retry policies
/// written for SK's HTTP connectors work unchanged.
/// </summary>
public class ClaudeCodeApiException : HttpOperationException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeApiException"/> class.</summary>
    public ClaudeCodeApiException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeApiException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeApiException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeApiException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeApiException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeApiException"/> class with a status.</summary>
    /// <param name="statusCode">The HTTP status the API answered with, when known.</param>
    /// <param name="responseContent">The error text the CLI reported.</param>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeApiException(HttpStatusCode? statusCode, string? responseContent, string? message, Exception? innerException = null)
        : base(statusCode, responseContent, message, innerException)
    {
    }

    /// <summary>The CLI's error kind (<c>authentication_failed</c>, <c>rate_limit</c>, <c>server_error</c>, <c>invalid_request</c>, …).</summary>
    public string? ErrorKind { get; init; }

    /// <summary>The API's error type (<c>overloaded_error</c>, <c>not_found_error</c>, …), when the CLI passed it on.</summary>
    public string? ApiErrorType { get; init; }

    /// <summary>The API's request id, when the CLI passed it on.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// The delay the CLI announced before its last retry (from the API's <c>retry-after</c> when it sent one), and how
    /// many retries it made; null when it did not retry.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How many times the CLI retried the request before giving up (<see cref="ClaudeCodeOptions.MaxRetries"/>).</summary>
    public int Retries { get; init; }

    /// <summary>The CLI's <c>result</c> line (JSON) for the failed turn.</summary>
    public string? ResultJson { get; init; }

    /// <summary>The last lines the CLI wrote on stderr.</summary>
    public string? StderrTail { get; init; }
}
