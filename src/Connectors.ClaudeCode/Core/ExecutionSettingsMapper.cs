// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Validates execution settings and turns them into CLI flags and environment. Parameters the CLI has no flag for
/// travel in <c>CLAUDE_CODE_EXTRA_BODY</c>, which the CLI merges into every request body.
/// </summary>
internal static class ExecutionSettingsMapper
{
    public const string ExtraBodyVariable = "CLAUDE_CODE_EXTRA_BODY";
    public const string MaxOutputTokensVariable = "CLAUDE_CODE_MAX_OUTPUT_TOKENS";

    /// <summary>Validates <paramref name="settings"/> and adds what they ask for to <paramref name="request"/>.</summary>
    public static void Apply(ClaudeCodePromptExecutionSettings settings, ChatTurnRequest request, ClaudeCodeOptions options, ILogger logger)
    {
        ExecutionSettingsPolicy.Validate(settings);
        ExecutionSettingsPolicy.ReportUnsupported(settings, options.UnsupportedParameterPolicy, logger);

        if (settings.FallbackModel is { } fallback && string.Equals(fallback, request.ModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"FallbackModel (fallback_model) '{fallback}' is the same as the model; pick another one.", nameof(settings));
        }

        var args = request.ExtraArguments;
        var env = request.ExtraEnvironment;
        var extraBody = request.ExtraBody;
        foreach (var (name, value) in ReadExtraBody(options))
        {
            extraBody[name] = value?.DeepClone();
        }

        if (settings.MaxTokens is { } maxTokens)
        {
            env[MaxOutputTokensVariable] = maxTokens.ToString(CultureInfo.InvariantCulture);
        }

        // The Messages API thinks only when asked; Claude Code thinks by default. A chat connector follows the API.
        var thinking = settings.Thinking
            ?? (settings.ReasoningEffort is null && options.DisableThinkingByDefault ? ClaudeCodeThinking.Disabled() : null);
        if (settings.Temperature is { } temperature)
        {
            if (temperature != 1 && thinking is not null && thinking.Type != ClaudeCodeThinking.DisabledType)
            {
                // The API refuses temperature other than 1 together with thinking.
                ExecutionSettingsPolicy.Unsupported("temperature", $"temperature {temperature.ToString(CultureInfo.InvariantCulture)} cannot be combined with thinking of type '{thinking.Type}'", options.UnsupportedParameterPolicy, logger);
            }
            else
            {
                extraBody["temperature"] = temperature;
                if (temperature != 1 && thinking is null)
                {
                    logger.LogInformation("Temperature {Temperature} is set, so thinking is turned off for this request (Claude accepts temperature other than 1 only without thinking).", temperature);
                    thinking = ClaudeCodeThinking.Disabled();
                }
            }
        }

        if (settings.TopP is { } topP)
        {
            if (extraBody["temperature"] is not null)
            {
                // Current Claude models refuse the two together ("temperature and top_p cannot both be specified").
                ExecutionSettingsPolicy.Unsupported("top_p", "Claude models take temperature or top_p, not both; temperature is kept", options.UnsupportedParameterPolicy, logger);
            }
            else
            {
                extraBody["top_p"] = topP;
            }
        }

        if (settings.TopK is { } topK)
        {
            extraBody["top_k"] = topK;
        }

        if (settings.StopSequences is { Count: > 0 } stops)
        {
            extraBody["stop_sequences"] = new JsonArray(stops.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }

        if (settings.User is { Length: > 0 } user)
        {
            extraBody["metadata"] = new JsonObject { ["user_id"] = user };
        }

        if (settings.ReasoningEffort is { } effort)
        {
            args.Add("--effort=" + effort.ToLowerInvariant());
        }

        switch (thinking?.Type)
        {
            case ClaudeCodeThinking.AdaptiveType:
                args.Add("--thinking=adaptive");
                break;
            case ClaudeCodeThinking.EnabledType:
                args.Add("--max-thinking-tokens=" + thinking.BudgetTokens!.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case ClaudeCodeThinking.DisabledType:
                // The flag is ignored on adaptive-only models; the request body field is not.
                args.Add("--thinking=disabled");
                extraBody["thinking"] = new JsonObject { ["type"] = "disabled" };
                break;
        }

        if (settings.MaxTurns is { } maxTurns)
        {
            args.Add("--max-turns=" + maxTurns.ToString(CultureInfo.InvariantCulture));
        }

        if (settings.FallbackModel is { } fallbackModel)
        {
            args.Add("--fallback-model=" + fallbackModel);
        }

        if (settings.MaxBudgetUsd is { } budget)
        {
            args.Add("--max-budget-usd=" + budget.ToString(CultureInfo.InvariantCulture));
        }

        if (ResponseFormatSchema.For(settings.ResponseFormat, logger) is { } schema)
        {
            args.Add("--json-schema=" + schema.ToJsonString());
            request.ExpectsStructuredOutput = true;
        }
    }

    private static JsonObject ReadExtraBody(ClaudeCodeOptions options)
    {
        // A body the caller set through the environment is kept; per-request settings are added on top.
        if (options.EnvironmentVariables.TryGetValue(ExtraBodyVariable, out var existing) && !string.IsNullOrWhiteSpace(existing))
        {
            try
            {
                if (JsonNode.Parse(existing) is JsonObject body)
                {
                    return body;
                }
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"ClaudeCodeOptions.EnvironmentVariables[{ExtraBodyVariable}] is not a JSON object: {ex.Message}", ex);
            }
        }

        return [];
    }

    /// <summary>
    /// Adds a tool choice to the request. Claude refuses a forced tool choice (<c>any</c> or a named tool) while
    /// thinking is on, and the CLI turns thinking on by default for many models: forcing therefore turns thinking off,
    /// unless the caller asked for thinking, which makes the forcing an unsupported combination.
    /// </summary>
    public static void ApplyToolChoice(JsonObject toolChoice, ClaudeCodePromptExecutionSettings settings, ChatTurnRequest request, ClaudeCodeOptions options, ILogger logger)
    {
        var forced = toolChoice["type"]?.GetValue<string>() is "any" or "tool";
        if (forced && settings.Thinking is { Type: not ClaudeCodeThinking.DisabledType } thinking)
        {
            ExecutionSettingsPolicy.Unsupported("tool_choice", $"forcing a function call (FunctionChoiceBehavior.Required) cannot be combined with thinking of type '{thinking.Type}'", options.UnsupportedParameterPolicy, logger);
            return;
        }

        request.ExtraBody["tool_choice"] = toolChoice;
        if (forced && request.ExtraBody["thinking"] is null)
        {
            logger.LogInformation("A function call is required, so thinking is turned off for this request (Claude refuses a forced tool choice with thinking).");
            request.ExtraArguments.Add("--thinking=disabled");
            request.ExtraBody["thinking"] = new JsonObject { ["type"] = "disabled" };
        }
    }
}
