// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// A <c>rate_limit_event</c> line (<c>{"type":"rate_limit_event","rate_limit_info":{…}}</c>): the state of the
/// login's usage limits, as the CLI last learned it.
/// </summary>
internal sealed class CliRateLimitEvent : CliMessage
{
    public CliRateLimitEvent(JsonElement raw)
        : base("rate_limit_event", raw)
    {
        // Older lines carried the fields at the top level.
        var info = raw.GetPropertyOrNull("rate_limit_info") is { ValueKind: JsonValueKind.Object } nested ? nested : raw;
        this.Status = info.GetStringOrNull("status");
        this.Window = info.GetStringOrNull("rateLimitType");
        this.Utilization = info.GetDoubleOrNull("utilization");
        this.ResetsAt = ReadTime(info, "resetsAt");
        this.IsUsingOverage = info.GetBooleanOrNull("isUsingOverage");
        this.InfoJson = info.GetRawText();
    }

    /// <summary><c>allowed</c>, <c>allowed_warning</c> or <c>rejected</c>.</summary>
    public string? Status { get; }

    /// <summary>Which limit it is about (<c>five_hour</c>, <c>seven_day</c>, …).</summary>
    public string? Window { get; }

    /// <summary>How much of the limit is used, from 0 to 1.</summary>
    public double? Utilization { get; }

    /// <summary>When the limit resets (Unix seconds or an ISO date on the wire).</summary>
    public DateTimeOffset? ResetsAt { get; }

    public bool? IsUsingOverage { get; }

    /// <summary>The info object as it came.</summary>
    public string InfoJson { get; }

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
