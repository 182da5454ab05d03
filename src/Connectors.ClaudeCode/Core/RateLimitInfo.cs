// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Reads the CLI's <c>rate_limit_event</c> lines, whose exact shape varies between CLI versions.</summary>
internal static class RateLimitInfo
{
    /// <summary>The <c>rate_limit_info</c> object of the event, or the event itself.</summary>
    public static JsonElement? Details(JsonElement? rateLimitEvent)
        => rateLimitEvent is { } e ? e.GetPropertyOrNull("rate_limit_info") ?? e : null;

    /// <summary>The reset time, from <c>resetsAt</c> (Unix seconds) when present.</summary>
    public static DateTimeOffset? ResetsAt(JsonElement? rateLimitEvent)
    {
        if (Details(rateLimitEvent) is not { } info)
        {
            return null;
        }

        if (info.GetInt64OrNull("resetsAt") is { } seconds)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return info.GetStringOrNull("resetsAt") is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }
}
