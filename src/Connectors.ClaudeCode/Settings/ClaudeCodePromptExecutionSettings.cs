// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Execution settings for Claude through the Claude Code CLI. JSON names are snake_case as in SK's other
/// connectors, so settings written for them (or in a prompt template) carry over by name.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
public sealed class ClaudeCodePromptExecutionSettings : PromptExecutionSettings
{
    private string? _chatSystemPrompt;

    /// <summary>
    /// Text placed before the system messages of the chat history in the system prompt (SK's <c>chat_system_prompt</c>).
    /// </summary>
    [JsonPropertyName("chat_system_prompt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChatSystemPrompt
    {
        get => this._chatSystemPrompt;
        set
        {
            this.ThrowIfFrozen();
            this._chatSystemPrompt = value;
        }
    }

    /// <inheritdoc/>
    public override PromptExecutionSettings Clone()
    {
        return new ClaudeCodePromptExecutionSettings
        {
            ModelId = this.ModelId,
            ServiceId = this.ServiceId,
            FunctionChoiceBehavior = this.FunctionChoiceBehavior,
            ExtensionData = this.ExtensionData is null ? null : new Dictionary<string, object>(this.ExtensionData),
            ChatSystemPrompt = this.ChatSystemPrompt,
        };
    }

    /// <summary>
    /// Converts any <see cref="PromptExecutionSettings"/> (OpenAI's, a plain one from a prompt template, …) by JSON
    /// property name, keeping its <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>. Returns the same
    /// instance when it already is <see cref="ClaudeCodePromptExecutionSettings"/>, and a new default for null.
    /// </summary>
    /// <param name="executionSettings">The settings to convert.</param>
    /// <returns>The settings as <see cref="ClaudeCodePromptExecutionSettings"/>.</returns>
    public static ClaudeCodePromptExecutionSettings FromExecutionSettings(PromptExecutionSettings? executionSettings)
    {
        switch (executionSettings)
        {
            case null:
                return new ClaudeCodePromptExecutionSettings();
            case ClaudeCodePromptExecutionSettings settings:
                return settings;
        }

        var json = JsonSerializer.Serialize(executionSettings, executionSettings.GetType());
        var converted = JsonSerializer.Deserialize<ClaudeCodePromptExecutionSettings>(json, s_readOptions) ?? new ClaudeCodePromptExecutionSettings();

        // Function instances do not survive serialization; carry the behavior over as it is.
        converted.FunctionChoiceBehavior = executionSettings.FunctionChoiceBehavior;
        converted.ServiceId ??= executionSettings.ServiceId;
        return converted;
    }

    private static readonly JsonSerializerOptions s_readOptions = new()
    {
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
