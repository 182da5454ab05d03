// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
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

    /// <summary>Validates <paramref name="settings"/> and adds what they ask for to <paramref name="request"/>.</summary>
    public static void Apply(ClaudeCodePromptExecutionSettings settings, ChatTurnRequest request, ClaudeCodeOptions options, ILogger logger)
    {
        Validate(settings);
        ReportUnsupported(settings, options.UnsupportedParameterPolicy, logger);

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
                Unsupported("temperature", $"temperature {temperature.ToString(CultureInfo.InvariantCulture)} cannot be combined with thinking of type '{thinking.Type}'", options.UnsupportedParameterPolicy, logger);
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
                Unsupported("top_p", "Claude models take temperature or top_p, not both; temperature is kept", options.UnsupportedParameterPolicy, logger);
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

        if (JsonSchemaFor(settings.ResponseFormat, logger) is { } schema)
        {
            args.Add("--json-schema=" + schema.ToJsonString());
            request.ExpectsStructuredOutput = true;
        }
    }

    /// <summary>The JSON schema a response format asks for, with keywords the CLI refuses removed; null for plain text.</summary>
    public static JsonObject? JsonSchemaFor(object? responseFormat, ILogger logger)
    {
        JsonNode? schema = responseFormat switch
        {
            null => null,
            string text when text.Equals("text", StringComparison.OrdinalIgnoreCase) => null,
            string text when text.Equals("json_object", StringComparison.OrdinalIgnoreCase) => new JsonObject { ["type"] = "object" },
            string text => ParseSchema(text),
            JsonElement { ValueKind: JsonValueKind.String } element => JsonSchemaFor(element.GetString(), logger),
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            JsonNode node => node.DeepClone(),
            JsonDocument document => JsonNode.Parse(document.RootElement.GetRawText()),
            ChatResponseFormatText => null,
            ChatResponseFormatJson { Schema: { } jsonSchema } => JsonNode.Parse(jsonSchema.GetRawText()),
            ChatResponseFormatJson => new JsonObject { ["type"] = "object" },
            // Property names as declared, so JsonSerializer.Deserialize<T> with default options reads the answer back.
            Type type => JsonNode.Parse(AIJsonUtilities.CreateJsonSchema(type, serializerOptions: JsonSerializerOptions.Default).GetRawText()),
            _ => throw new ArgumentException($"ResponseFormat (response_format) of type '{responseFormat.GetType().Name}' is not supported; use \"json_object\", a JSON schema, or a .NET type."),
        };

        if (schema is null)
        {
            return null;
        }

        if (schema is not JsonObject schemaObject)
        {
            throw new ArgumentException("ResponseFormat (response_format) must be a JSON schema object.");
        }

        // The CLI validates the schema with a draft-07 validator: a "$schema" of another draft and "$id" URNs make it exit.
        var removed = new List<string>();
        RemoveKeywords(schemaObject, removed, "$");
        if (removed.Count > 0)
        {
            logger.LogInformation("Removed JSON schema keywords the Claude Code CLI cannot take: {Keywords}.", string.Join(", ", removed));
        }

        return schemaObject;
    }

    private static JsonNode ParseSchema(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new ArgumentException("ResponseFormat (response_format) is the JSON literal null; pass null instead.");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"ResponseFormat (response_format) is neither \"json_object\", \"text\" nor valid JSON schema text: {ex.Message}", ex);
        }
    }

    private static void RemoveKeywords(JsonObject schema, List<string> removed, string path)
    {
        foreach (var keyword in new[] { "$schema", "$id" })
        {
            if (schema.Remove(keyword))
            {
                removed.Add(path == "$" ? keyword : path + "." + keyword);
            }
        }

        foreach (var (name, child) in schema.ToList())
        {
            switch (child)
            {
                case JsonObject childObject:
                    RemoveKeywords(childObject, removed, path + "." + name);
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        RemoveKeywords(item, removed, path + "." + name + "[]");
                    }

                    break;
            }
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

    private static void ReportUnsupported(ClaudeCodePromptExecutionSettings settings, ClaudeCodeUnsupportedParameterPolicy policy, ILogger logger)
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
            Unsupported("tool_choice", $"forcing a function call (FunctionChoiceBehavior.Required) cannot be combined with thinking of type '{thinking.Type}'", options.UnsupportedParameterPolicy, logger);
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

    private static void Unsupported(string name, string reason, ClaudeCodeUnsupportedParameterPolicy policy, ILogger logger)
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
