// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>The public view of the CLI's <c>rate_limit_event</c> lines.</summary>
internal static class RateLimitInfo
{
    /// <summary>The typed view of an event, or null when there was none.</summary>
    public static ClaudeCodeRateLimitInfo? From(CliRateLimitEvent? rateLimitEvent)
        => rateLimitEvent is null
            ? null
            : new ClaudeCodeRateLimitInfo
            {
                Status = rateLimitEvent.Status,
                Window = rateLimitEvent.Window,
                Utilization = rateLimitEvent.Utilization,
                ResetsAt = rateLimitEvent.ResetsAt,
                IsUsingOverage = rateLimitEvent.IsUsingOverage,
                RawJson = rateLimitEvent.InfoJson,
            };
}
