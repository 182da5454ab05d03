// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// What the connector accepts of execution settings: ranges checked before any process starts, and the settings
/// Claude cannot honour, which follow <see cref="ClaudeCodeUnsupportedParameterPolicy"/> (warn and drop, or throw).
/// </summary>
internal static class ExecutionSettingsPolicy
{
    private static readonly string[] s_effortLevels = ["low", "medium", "high", "xhigh", "max"];

    /// <summary>
    /// Settings other connectors know that Claude has no equivalent for, with the value that means "not used"
    /// (so that defaults carried over from another connector's settings are not reported).
    /// </summary>
    private static readonly Dictionary<string, Func<JsonElement, bool>> s_unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        ["results_per_prompt"] = v => !IsNumber(v, 1),
        ["n"] = v => !IsNumber(v, 1),
        ["candidate_count"] = v => !IsNumber(v, 1),
        ["logprobs"] = v => v.ValueKind == JsonValueKind.True,
        ["top_logprobs"] = v => !IsNumber(v, 0),
        ["presence_penalty"] = v => !IsNumber(v, 0),
        ["frequency_penalty"] = v => !IsNumber(v, 0),
        ["seed"] = v => v.ValueKind != JsonValueKind.Null,
        ["logit_bias"] = v => v.ValueKind == JsonValueKind.Object && v.EnumerateObject().Any(),
        ["token_selection_biases"] = v => v.ValueKind == JsonValueKind.Object && v.EnumerateObject().Any(),
    };

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> for a value out of range, naming the property.</summary>
    public static void Validate(ClaudeCodePromptExecutionSettings settings)
    {
        if (settings.MaxTokens is <= 0)
        {
            throw new ArgumentException($"MaxTokens (max_tokens) must be positive; it is {settings.MaxTokens}.", nameof(settings));
        }

        if (settings.Temperature is { } temperature && (temperature < 0 || temperature > 1 || double.IsNaN(temperature)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Temperature (temperature) must be between 0 and 1 for Claude; it is {temperature}."), nameof(settings));
        }

        if (settings.TopP is { } topP && (topP <= 0 || topP > 1 || double.IsNaN(topP)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"TopP (top_p) must be greater than 0 and at most 1; it is {topP}."), nameof(settings));
        }

        if (settings.TopK is < 1)
        {
            throw new ArgumentException($"TopK (top_k) must be at least 1; it is {settings.TopK}.", nameof(settings));
        }

        if (settings.StopSequences is { } stops && stops.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("StopSequences (stop_sequences) must not contain empty or whitespace-only entries.", nameof(settings));
        }

        if (settings.ReasoningEffort is { } effort && !s_effortLevels.Contains(effort.ToLowerInvariant()))
        {
            throw new ArgumentException($"ReasoningEffort (reasoning_effort) '{effort}' is not a Claude effort level; use one of {string.Join(", ", s_effortLevels)}.", nameof(settings));
        }

        if (settings.Thinking is { } thinking)
        {
            switch (thinking.Type)
            {
                case ClaudeCodeThinking.AdaptiveType:
                case ClaudeCodeThinking.DisabledType:
                    break;
                case ClaudeCodeThinking.EnabledType when thinking.BudgetTokens is >= 1024:
                    break;
                case ClaudeCodeThinking.EnabledType:
                    throw new ArgumentException($"Thinking (thinking) of type 'enabled' needs BudgetTokens of at least 1024; it is {thinking.BudgetTokens?.ToString(CultureInfo.InvariantCulture) ?? "missing"}.", nameof(settings));
                default:
                    throw new ArgumentException($"Thinking (thinking) type '{thinking.Type}' is unknown; use adaptive, enabled or disabled.", nameof(settings));
            }
        }

        if (settings.Thinking is { Type: ClaudeCodeThinking.EnabledType, BudgetTokens: { } budgetTokens } && settings.MaxTokens is { } limit && budgetTokens >= limit)
        {
            throw new ArgumentException($"Thinking.BudgetTokens ({budgetTokens}) must be less than MaxTokens (max_tokens, {limit}): thinking counts against the output limit.", nameof(settings));
        }

        if (settings.MaxTurns is < 1)
        {
            throw new ArgumentException($"MaxTurns (max_turns) must be at least 1; it is {settings.MaxTurns}.", nameof(settings));
        }

        if (settings.MaxBudgetUsd is { } budget && (budget <= 0 || double.IsNaN(budget)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MaxBudgetUsd (max_budget_usd) must be positive; it is {budget}."), nameof(settings));
        }

        if (settings.FallbackModel is not null && string.IsNullOrWhiteSpace(settings.FallbackModel))
        {
            throw new ArgumentException("FallbackModel (fallback_model) must not be blank.", nameof(settings));
        }
    }

    /// <summary>Reports settings from other connectors that Claude has no equivalent for (their "unused" values are not reported).</summary>
    public static void ReportUnsupported(ClaudeCodePromptExecutionSettings settings, ClaudeCodeUnsupportedParameterPolicy policy, ILogger logger)
    {
        if (settings.ExtensionData is not { Count: > 0 } extensionData)
        {
            return;
        }

        foreach (var (name, value) in extensionData)
        {
            var element = value is JsonElement json ? json : JsonSerializer.SerializeToElement(value, value?.GetType() ?? typeof(object));
            if (s_unsupported.TryGetValue(name, out var isSet))
            {
                if (isSet(element))
                {
                    Unsupported(name, $"Claude has no equivalent of '{name}'", policy, logger);
                }
            }
            else if (element.ValueKind != JsonValueKind.Null)
            {
                logger.LogWarning("Execution setting '{Name}' is not known to the Claude Code connector and is ignored.", name);
            }
        }
    }

    /// <summary>Applies the policy to one setting that cannot be honoured.</summary>
    public static void Unsupported(string name, string reason, ClaudeCodeUnsupportedParameterPolicy policy, ILogger logger)
    {
        if (policy == ClaudeCodeUnsupportedParameterPolicy.Throw)
        {
            throw new NotSupportedException($"Execution setting '{name}' cannot be honoured: {reason}. Remove it, or set ClaudeCodeOptions.UnsupportedParameterPolicy to WarnAndIgnore.");
        }

        logger.LogWarning("Execution setting '{Name}' is ignored: {Reason}.", name, reason);
    }

    private static bool IsNumber(JsonElement value, double expected)
        => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.GetDouble() == expected);
}
