// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>The <c>result</c> line that ends every turn, successful or not.</summary>
internal sealed class CliResultMessage : CliMessage
{
    public CliResultMessage(JsonElement raw)
        : base("result", raw)
    {
    }

    /// <summary>
    /// The process's totals from a <c>get_usage</c> answer, in the fields a <c>result</c> carries them in (cost, API
    /// time, per-model usage), so that a turn that ends without a result can count its share the same way; null when
    /// the answer lacks the cost or the per-model usage (partial totals, taken as the last result, would make the
    /// next turn count from zero).
    /// </summary>
    public static CliResultMessage? TotalsFromUsage(JsonElement usage)
    {
        if (usage.GetPropertyOrNull("session") is not { ValueKind: JsonValueKind.Object } session
            || session.GetDoubleOrNull("total_cost_usd") is not { } cost
            || session.GetPropertyOrNull("model_usage") is not { ValueKind: JsonValueKind.Object } models)
        {
            return null;
        }

        var totals = new JsonObject
        {
            ["type"] = "result",
            ["total_cost_usd"] = cost,
            ["duration_api_ms"] = session.GetInt64OrNull("total_api_duration_ms"),
            ["modelUsage"] = JsonNode.Parse(models.GetRawText()),
        };
        return new CliResultMessage(JsonSerializer.SerializeToElement(totals));
    }

    public bool IsError => this.Raw.GetBooleanOrNull("is_error") ?? false;

    public int NumTurns => (int)(this.Raw.GetInt64OrNull("num_turns") ?? 0);

    /// <summary>The final text, or the error prose; null on error subtypes.</summary>
    public string? Result => this.Raw.GetStringOrNull("result");

    public string? StopReason => this.Raw.GetStringOrNull("stop_reason");

    public string? TerminalReason => this.Raw.GetStringOrNull("terminal_reason");

    public int? ApiErrorStatus => (int?)this.Raw.GetInt64OrNull("api_error_status");

    public long? DurationMs => this.Raw.GetInt64OrNull("duration_ms");

    public long? DurationApiMs => this.Raw.GetInt64OrNull("duration_api_ms");

    /// <summary>Cumulative for the process, not per turn.</summary>
    public double? TotalCostUsd => this.Raw.GetDoubleOrNull("total_cost_usd");

    /// <summary>This turn's usage, summed over its API calls.</summary>
    public JsonElement? Usage => this.Raw.GetPropertyOrNull("usage");

    public JsonElement? ModelUsage => this.Raw.GetPropertyOrNull("modelUsage");

    public JsonElement? StructuredOutput => this.Raw.GetPropertyOrNull("structured_output");

    /// <summary>The <c>errors</c> strings of error subtypes.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            var list = new List<string>();
            if (this.Raw.GetPropertyOrNull("errors") is { ValueKind: JsonValueKind.Array } errors)
            {
                foreach (var item in errors.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text)
                    {
                        list.Add(text);
                    }
                }
            }

            return list;
        }
    }
}
