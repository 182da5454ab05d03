// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Reads the CLI's <c>rate_limit_event</c> lines (<c>{"type":"rate_limit_event","rate_limit_info":{…}}</c>).</summary>
internal static class RateLimitInfo
{
    /// <summary>The typed view of an event, or null when there was none.</summary>
    public static ClaudeCodeRateLimitInfo? From(JsonElement? rateLimitEvent)
    {
        if (rateLimitEvent is not { } e || (e.GetPropertyOrNull("rate_limit_info") ?? e) is not { ValueKind: JsonValueKind.Object } info)
        {
            return null;
        }

        return new ClaudeCodeRateLimitInfo
        {
            Status = info.GetStringOrNull("status"),
            Window = info.GetStringOrNull("rateLimitType"),
            Utilization = info.GetDoubleOrNull("utilization"),
            ResetsAt = ReadTime(info, "resetsAt"),
            IsUsingOverage = info.GetBooleanOrNull("isUsingOverage"),
            RawJson = info.GetRawText(),
        };
    }

    /// <summary>The reset time of an event, when it has one.</summary>
    public static DateTimeOffset? ResetsAt(JsonElement? rateLimitEvent) => From(rateLimitEvent)?.ResetsAt;

    private static DateTimeOffset? ReadTime(JsonElement info, string name)
    {
        if (info.GetInt64OrNull(name) is { } seconds)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return info.GetStringOrNull(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }
}
