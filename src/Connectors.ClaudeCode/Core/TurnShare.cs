// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// One turn's part of what the CLI totals per process (verified on CLI 2.1.328: in a live session
/// <c>total_cost_usd</c>, <c>duration_api_ms</c> and every counter of <c>modelUsage</c> grow with each turn, while
/// <c>usage</c>, <c>duration_ms</c> and <c>num_turns</c> are the turn's own).
/// </summary>
internal sealed class TurnShare
{
    /// <summary>The counters of a <c>modelUsage</c> entry; its other fields (context window, provider, …) are copied.</summary>
    private static readonly HashSet<string> s_counters = new(StringComparer.Ordinal)
    {
        "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheCreationInputTokens", "webSearchRequests", "costUSD",
        "thinkingTokens", "cacheCreationEphemeral5mInputTokens", "cacheCreationEphemeral1hInputTokens",
    };

    public static readonly TurnShare None = new(null, null, null);

    private TurnShare(double? costUsd, long? durationApiMs, string? modelUsageJson)
    {
        this.CostUsd = costUsd;
        this.DurationApiMs = durationApiMs;
        this.ModelUsageJson = modelUsageJson;
    }

    public double? CostUsd { get; }

    public long? DurationApiMs { get; }

    /// <summary>The turn's <c>modelUsage</c> (models it did not use left out), as JSON.</summary>
    public string? ModelUsageJson { get; }

    /// <summary><paramref name="current"/> less <paramref name="previous"/>, the same process's result before it (null for its first).</summary>
    public static TurnShare Of(CliResultMessage current, CliResultMessage? previous)
        => new(
            Less(current.TotalCostUsd, previous?.TotalCostUsd),
            Less(current.DurationApiMs, previous?.DurationApiMs),
            ModelUsageLess(current.ModelUsage, previous?.ModelUsage));

    private static double? Less(double? current, double? previous)
        => current is { } value ? Math.Max(0, value - (previous ?? 0)) : null;

    private static long? Less(long? current, long? previous)
        => current is { } value ? Math.Max(0, value - (previous ?? 0)) : null;

    private static string? ModelUsageLess(JsonElement? current, JsonElement? previous)
    {
        if (current is not { ValueKind: JsonValueKind.Object } models)
        {
            return null;
        }

        if (previous is not { ValueKind: JsonValueKind.Object } before)
        {
            return models.GetRawText();
        }

        var share = new JsonObject();
        foreach (var model in models.EnumerateObject())
        {
            var earlier = before.TryGetProperty(model.Name, out var found) && found.ValueKind == JsonValueKind.Object ? found : (JsonElement?)null;
            var entry = new JsonObject();
            var used = false;
            foreach (var field in model.Value.EnumerateObject())
            {
                if (s_counters.Contains(field.Name) && field.Value.ValueKind == JsonValueKind.Number)
                {
                    var was = earlier is { } e && e.TryGetProperty(field.Name, out var old) && old.ValueKind == JsonValueKind.Number ? old.GetDouble() : 0;
                    var delta = Math.Max(0, field.Value.GetDouble() - was);
                    used |= delta > 0;
                    entry[field.Name] = field.Name == "costUSD" ? delta : (long)Math.Round(delta);
                }
                else
                {
                    entry[field.Name] = JsonNode.Parse(field.Value.GetRawText());
                }
            }

            if (used)
            {
                share[model.Name] = entry;
            }
        }

        return share.ToJsonString();
    }
}
