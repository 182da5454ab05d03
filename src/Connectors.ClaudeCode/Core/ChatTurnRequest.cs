// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Everything one chat turn needs, independent of the public face that asked for it.</summary>
internal sealed class ChatTurnRequest
{
    public ChatTurnRequest(IReadOnlyList<CliInputMessage> history, CliInputMessage prompt)
    {
        this.History = history;
        this.Prompt = prompt;
    }

    /// <summary>Earlier turns, replayed with their structure before the prompt.</summary>
    public IReadOnlyList<CliInputMessage> History { get; }

    /// <summary>The last user message: the one that starts the model's turn.</summary>
    public CliInputMessage Prompt { get; }

    /// <summary>
    /// The caller's history object, which auto-invoke extends during the turn; what it holds afterwards (plus the
    /// answer) is the conversation a live session keeps. Null: the process is not kept.
    /// </summary>
    public Microsoft.SemanticKernel.ChatCompletion.ChatHistory? SourceHistory { get; init; }

    /// <summary>How many messages <see cref="SourceHistory"/> held when the request was made from it.</summary>
    public int SourceHistoryCount { get; init; }

    /// <summary>
    /// A live session to continue by id (MEAI's <c>ChatOptions.ConversationId</c>): the request's messages are then
    /// only the new ones. Null: the session, if any, is found by the content of the history.
    /// </summary>
    public string? ConversationId { get; init; }

    /// <summary>Whether the caller streams the answer.</summary>
    public bool Streaming { get; init; }

    /// <summary>The model, or null for the CLI's default.</summary>
    public string? ModelId { get; init; }

    /// <summary>The system prompt; null or empty means none (not Claude Code's default prompt).</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>True when documents ask for citations: what the history is converted with, so it is also part of a live session's shape.</summary>
    public bool Citations { get; init; }

    /// <summary>
    /// True when the request enables web search: its process is started with Claude Code's <c>WebSearch</c> tool
    /// (a spawn flag, so part of the process's signature) and the tool's calls need no permission callback.
    /// </summary>
    public bool WebSearch => this.WebSearchPolicy is not null;

    /// <summary>The request's web search and its domain lists; null when it does not search.</summary>
    public BuiltInTools.WebSearchPolicy? WebSearchPolicy { get; init; }

    /// <summary>
    /// The request's remote MCP servers (spawn flags, so part of the process's signature); empty for none. Their tools'
    /// calls go through the connector's permission path.
    /// </summary>
    public IReadOnlyList<BuiltInTools.HostedMcpServer> McpServers { get; init; } = [];

    /// <summary>True when the request has tools the CLI runs itself beyond the app's built-in tools: web search or MCP servers.</summary>
    public bool HasHostedTools => this.WebSearch || this.McpServers.Count > 0;

    /// <summary>True when a JSON schema was passed: the answer is the CLI's <c>structured_output</c>.</summary>
    public bool ExpectsStructuredOutput { get; set; }

    /// <summary>Top-level request body fields for <c>CLAUDE_CODE_EXTRA_BODY</c> (temperature, tool_choice, …).</summary>
    public JsonObject ExtraBody { get; } = [];

    /// <summary>Kernel functions offered as tools and the bridge that handles their calls; null when none are offered.</summary>
    public FunctionCallingTurn? FunctionCalling { get; set; }

    /// <summary>Flags beyond the base set, from the execution settings.</summary>
    public IList<string> ExtraArguments { get; } = [];

    /// <summary>Environment beyond the base set, from the execution settings.</summary>
    public IDictionary<string, string?> ExtraEnvironment { get; } = new Dictionary<string, string?>(System.StringComparer.Ordinal);

    /// <summary>The same request with <paramref name="earlier"/> messages before its history (a conversation resumed in a new process).</summary>
    public ChatTurnRequest WithEarlierHistory(IReadOnlyList<CliInputMessage> earlier)
    {
        var copy = new ChatTurnRequest([.. earlier, .. this.History], this.Prompt)
        {
            SourceHistory = this.SourceHistory,
            SourceHistoryCount = this.SourceHistoryCount,
            ConversationId = this.ConversationId,
            Streaming = this.Streaming,
            ModelId = this.ModelId,
            SystemPrompt = this.SystemPrompt,
            Citations = this.Citations,
            WebSearchPolicy = this.WebSearchPolicy,
            McpServers = this.McpServers,
            ExpectsStructuredOutput = this.ExpectsStructuredOutput,
            FunctionCalling = this.FunctionCalling,
        };
        foreach (var (name, value) in this.ExtraBody)
        {
            copy.ExtraBody[name] = value?.DeepClone();
        }

        foreach (var argument in this.ExtraArguments)
        {
            copy.ExtraArguments.Add(argument);
        }

        foreach (var (name, value) in this.ExtraEnvironment)
        {
            copy.ExtraEnvironment[name] = value;
        }

        return copy;
    }
}
