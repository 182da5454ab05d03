// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>system</c> line with subtype <c>api_retry</c>: a Messages API call failed, and the CLI tries it again.</summary>
internal sealed class CliApiRetry : CliMessage
{
    public CliApiRetry(JsonElement raw)
        : base("system", raw)
    {
        this.ErrorStatus = raw.GetInt64OrNull("error_status");
        this.Error = raw.GetStringOrNull("error");
        this.RetryDelay = raw.GetInt64OrNull("retry_delay_ms") is { } delay ? TimeSpan.FromMilliseconds(delay) : null;
        this.Attempt = raw.GetInt64OrNull("attempt");
        this.MaxRetries = raw.GetInt64OrNull("max_retries");
    }

    /// <summary>The HTTP status of the failed call, when it had one.</summary>
    public long? ErrorStatus { get; }

    /// <summary>What failed, in the CLI's words.</summary>
    public string? Error { get; }

    /// <summary>How long the CLI waits before it tries again.</summary>
    public TimeSpan? RetryDelay { get; }

    public long? Attempt { get; }

    public long? MaxRetries { get; }
}
