// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Execution settings for Claude through the Claude Code CLI. JSON names are snake_case as in SK's other
/// connectors, so settings written for them (or in a prompt template) carry over by name. Every setting reaches
/// Claude or is refused out loud (see <see cref="ClaudeCodeOptions.UnsupportedParameterPolicy"/>); values out of
/// range throw <see cref="System.ArgumentException"/> before any process starts.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
public sealed class ClaudeCodePromptExecutionSettings : PromptExecutionSettings
{
    private int? _maxTokens;
    private double? _temperature;
    private double? _topP;
    private int? _topK;
    private IList<string>? _stopSequences;
    private string? _chatSystemPrompt;
    private string? _reasoningEffort;
    private ClaudeCodeThinking? _thinking;
    private object? _responseFormat;
    private string? _user;
    private int? _maxTurns;
    private string? _fallbackModel;
    private double? _maxBudgetUsd;
    private bool? _citations;
    private ClaudeCodeWebSearch? _webSearch;
    private IList<ClaudeCodeMcpServer>? _mcpServers;

    /// <summary>The most tokens the model may generate (the API's <c>max_tokens</c>). When the model stops on it the call returns the text so far with finish reason <c>length</c>.</summary>
    [JsonPropertyName("max_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens
    {
        get => this._maxTokens;
        set
        {
            this.ThrowIfFrozen();
            this._maxTokens = value;
        }
    }

    /// <summary>Sampling temperature, 0 to 1. A value other than 1 turns thinking off (the API requires it), unless thinking is asked for explicitly.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature
    {
        get => this._temperature;
        set
        {
            this.ThrowIfFrozen();
            this._temperature = value;
        }
    }

    /// <summary>Nucleus sampling, greater than 0 and at most 1.</summary>
    [JsonPropertyName("top_p")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TopP
    {
        get => this._topP;
        set
        {
            this.ThrowIfFrozen();
            this._topP = value;
        }
    }

    /// <summary>Sample only from the top K tokens; at least 1.</summary>
    [JsonPropertyName("top_k")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TopK
    {
        get => this._topK;
        set
        {
            this.ThrowIfFrozen();
            this._topK = value;
        }
    }

    /// <summary>Text sequences that stop the model. The one it stopped on is in the <c>StopSequence</c> metadata.</summary>
    [JsonPropertyName("stop_sequences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? StopSequences
    {
        get => this._stopSequences;
        set
        {
            this.ThrowIfFrozen();
            this._stopSequences = value;
        }
    }

    /// <summary>Text placed before the system messages of the chat history in the system prompt (SK's <c>chat_system_prompt</c>).</summary>
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

    /// <summary>How hard the model works: <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c> or <c>max</c> (<c>--effort</c>; models without effort support ignore it).</summary>
    [JsonPropertyName("reasoning_effort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasoningEffort
    {
        get => this._reasoningEffort;
        set
        {
            this.ThrowIfFrozen();
            this._reasoningEffort = value;
        }
    }

    /// <summary>Extended thinking: adaptive, enabled with a budget, or disabled. Null keeps the model's default.</summary>
    [JsonPropertyName("thinking")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaudeCodeThinking? Thinking
    {
        get => this._thinking;
        set
        {
            this.ThrowIfFrozen();
            this._thinking = value;
        }
    }

    /// <summary>Structured output: <c>"json_object"</c>, a JSON schema (a <see cref="JsonElement"/>, JSON text or <c>Microsoft.Extensions.AI.ChatResponseFormatJson</c>), or a .NET <see cref="System.Type"/> whose schema is derived. The answer's text is the JSON; the parsed value is in the <c>StructuredOutput</c> metadata.</summary>
    [JsonPropertyName("response_format")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public object? ResponseFormat
    {
        get => this._responseFormat;
        set
        {
            this.ThrowIfFrozen();
            this._responseFormat = value;
        }
    }

    /// <summary>An end-user id for abuse monitoring, sent as the API's <c>metadata.user_id</c>.</summary>
    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User
    {
        get => this._user;
        set
        {
            this.ThrowIfFrozen();
            this._user = value;
        }
    }

    /// <summary>The most model calls in one turn, tool rounds included (<c>--max-turns</c>); reaching it throws <see cref="ClaudeCodeTurnException"/>.</summary>
    [JsonPropertyName("max_turns")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTurns
    {
        get => this._maxTurns;
        set
        {
            this.ThrowIfFrozen();
            this._maxTurns = value;
        }
    }

    /// <summary>A model to fall back to when the main one is overloaded (<c>--fallback-model</c>).</summary>
    [JsonPropertyName("fallback_model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FallbackModel
    {
        get => this._fallbackModel;
        set
        {
            this.ThrowIfFrozen();
            this._fallbackModel = value;
        }
    }

    /// <summary>The most a turn may cost in US dollars (<c>--max-budget-usd</c>); reaching it throws <see cref="ClaudeCodeTurnException"/>.</summary>
    [JsonPropertyName("max_budget_usd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxBudgetUsd
    {
        get => this._maxBudgetUsd;
        set
        {
            this.ThrowIfFrozen();
            this._maxBudgetUsd = value;
        }
    }

    /// <summary>
    /// True to ask for citations: every document of the request (PDF or plain text) is sent with
    /// <c>citations: {enabled: true}</c>, and the answer's citations come back in
    /// <see cref="ClaudeCodeMetadataKeys.Citations"/> metadata. Has no effect on a request without documents.
    /// </summary>
    [JsonPropertyName("citations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Citations
    {
        get => this._citations;
        set
        {
            this.ThrowIfFrozen();
            this._citations = value;
        }
    }

    /// <summary>
    /// Web search for this request: Claude Code's <c>WebSearch</c> tool is offered, and its calls run inside the turn
    /// (reported in <see cref="ClaudeCodeMetadataKeys.BuiltInToolCalls"/> with the query, the result and the links, and
    /// streamed as <see cref="StreamingClaudeCodeToolCallContent"/> items). Such a request runs in a process started
    /// with the tool, in Claude Code's normal mode (bare mode removes the tool): <see cref="ClaudeCodeBareMode.Auto"/>
    /// gives way for it, <see cref="ClaudeCodeBareMode.Always"/> refuses it with <see cref="System.NotSupportedException"/>.
    /// </summary>
    [JsonPropertyName("web_search")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaudeCodeWebSearch? WebSearch
    {
        get => this._webSearch;
        set
        {
            this.ThrowIfFrozen();
            this._webSearch = value;
        }
    }

    /// <summary>
    /// Remote MCP servers for this request: Claude Code connects to them (and to no MCP server of the user's own
    /// settings), offers their tools, and runs the calls the app approves (see <see cref="ClaudeCodeMcpServer.RequireApproval"/>).
    /// The calls are reported in <see cref="ClaudeCodeMetadataKeys.McpServerToolCalls"/>, and streamed as
    /// <see cref="StreamingClaudeCodeToolCallContent"/> items. Such a request runs in a process started with them.
    /// </summary>
    [JsonPropertyName("mcp_servers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<ClaudeCodeMcpServer>? McpServers
    {
        get => this._mcpServers;
        set
        {
            this.ThrowIfFrozen();
            this._mcpServers = value;
        }
    }

    /// <inheritdoc/>
    public override void Freeze()
    {
        if (this.IsFrozen)
        {
            return;
        }

        if (this._stopSequences is not null)
        {
            this._stopSequences = new ReadOnlyCollection<string>(this._stopSequences.ToList());
        }

        if (this._mcpServers is not null)
        {
            this._mcpServers = new ReadOnlyCollection<ClaudeCodeMcpServer>(this._mcpServers.ToList());
        }

        base.Freeze();
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
            MaxTokens = this.MaxTokens,
            Temperature = this.Temperature,
            TopP = this.TopP,
            TopK = this.TopK,
            ChatSystemPrompt = this.ChatSystemPrompt,
            ReasoningEffort = this.ReasoningEffort,
            ResponseFormat = this.ResponseFormat,
            User = this.User,
            MaxTurns = this.MaxTurns,
            FallbackModel = this.FallbackModel,
            MaxBudgetUsd = this.MaxBudgetUsd,
            Citations = this.Citations,
            WebSearch = this.WebSearch?.Clone(),
            McpServers = this.McpServers?.Select(server => server.Clone()).ToList(),
            StopSequences = this.StopSequences?.ToList(),
            Thinking = this.Thinking?.Clone(),
        };
    }

    /// <summary>
    /// Converts any <see cref="PromptExecutionSettings"/> (OpenAI's, a plain one from a prompt template, …) by JSON
    /// property name, keeping its <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>. Returns the same
    /// instance when it already is <see cref="ClaudeCodePromptExecutionSettings"/>, and a new default for null.
    /// Names without a counterpart stay in <see cref="PromptExecutionSettings.ExtensionData"/>, where the connector
    /// reports them.
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

        // The runtime type is serialized, so the properties of OpenAI's (or any other) settings class come along.
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
