// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Rate-limit state the CLI reported (subscription logins report it with every response): which window applies,
/// how much of it is used, and when it resets.
/// </summary>
public sealed class ClaudeCodeRateLimitInfo
{
    /// <summary><c>allowed</c>, <c>allowed_warning</c> or <c>rejected</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The window, e.g. <c>five_hour</c> or <c>seven_day</c>.</summary>
    public string? Window { get; init; }

    /// <summary>The share of the window used, 0 to 1, when reported.</summary>
    public double? Utilization { get; init; }

    /// <summary>When the window resets.</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>Whether usage beyond the plan (overage) is being drawn.</summary>
    public bool? IsUsingOverage { get; init; }

    /// <summary>The CLI's <c>rate_limit_info</c> object as JSON, for fields not mapped here.</summary>
    public string? RawJson { get; init; }
}
