// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Keys of <see cref="KernelContent.Metadata"/> on the connector's results: set on the final
/// <see cref="ChatMessageContent"/> and on the last streaming chunk.
/// </summary>
public static class ClaudeCodeMetadataKeys
{
    /// <summary>Token usage: a <c>Microsoft.Extensions.AI.UsageDetails</c> (input includes cache reads and writes; both are also in its additional counts).</summary>
    public const string Usage = "Usage";

    /// <summary>Why the model stopped, in Microsoft.Extensions.AI terms: <c>stop</c>, <c>length</c>, <c>tool_calls</c> or <c>content_filter</c>.</summary>
    public const string FinishReason = "FinishReason";

    /// <summary>The API's own stop reason (<c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c>, <c>tool_use</c>, <c>refusal</c>, …).</summary>
    public const string StopReason = "StopReason";

    /// <summary>The stop sequence the model stopped on, when it did.</summary>
    public const string StopSequence = "StopSequence";

    /// <summary>The Claude Code session id of the turn.</summary>
    public const string SessionId = "SessionId";

    /// <summary>What the turn cost in US dollars, as the CLI computed it (a <see cref="double"/>).</summary>
    public const string CostUsd = "CostUsd";

    /// <summary>Wall-clock duration of the turn inside the CLI, in milliseconds.</summary>
    public const string DurationMs = "DurationMs";

    /// <summary>Time spent in API calls, in milliseconds.</summary>
    public const string DurationApiMs = "DurationApiMs";

    /// <summary>How many model calls the turn made (more than one when tools ran).</summary>
    public const string NumTurns = "NumTurns";

    /// <summary>How the CLI ended the turn (<c>completed</c>, <c>max_turns</c>, …).</summary>
    public const string TerminalReason = "TerminalReason";

    /// <summary>Per-model tokens and cost as the CLI reported them (JSON).</summary>
    public const string ModelUsage = "ModelUsage";

    /// <summary>The parsed structured output (a <see cref="System.Text.Json.JsonElement"/>) when a response format was set.</summary>
    public const string StructuredOutput = "StructuredOutput";

    /// <summary>The latest rate-limit information the CLI reported during the turn (a <see cref="ClaudeCodeRateLimitInfo"/>), when it reported any.</summary>
    public const string RateLimit = "RateLimit";

    /// <summary>How many times the CLI retried a failed API request during the call (an int; absent when none).</summary>
    public const string ApiRetries = "ApiRetries";

    /// <summary>
    /// The citations of the answer, when documents were sent with citations asked for (<c>citations</c> setting): an
    /// <see cref="System.Collections.Generic.IReadOnlyList{T}"/> of <see cref="ClaudeCodeCitation"/>. On the final
    /// message all of them; when streaming, each on the chunk that brought it, and all of them on the last chunk.
    /// </summary>
    public const string Citations = "Citations";

    /// <summary>
    /// The calls of Claude Code's built-in tools (<see cref="ClaudeCodeOptions.BuiltInTools"/>) in the turn, already run or
    /// refused by the CLI: an <c>IReadOnlyList&lt;FunctionCallContent&gt;</c> whose items carry <c>Allowed</c> (the
    /// app's decision), <c>Result</c> (the tool's output text) and <c>IsError</c> in their metadata; a <c>WebSearch</c>
    /// call also <c>Query</c> and <c>Links</c> (an <c>IReadOnlyList&lt;ClaudeCodeWebLink&gt;</c>). Do not invoke them.
    /// Absent when the turn made none.
    /// </summary>
    public const string BuiltInToolCalls = "BuiltInToolCalls";

    /// <summary>
    /// The calls of the request's MCP servers' tools (<see cref="ClaudeCodePromptExecutionSettings.McpServers"/>) in the
    /// turn, already run or refused by the CLI: an <c>IReadOnlyList&lt;FunctionCallContent&gt;</c> whose
    /// <c>PluginName</c> is the server and <c>FunctionName</c> the tool, with <c>Allowed</c>, <c>Result</c> and
    /// <c>IsError</c> in their metadata. Do not invoke them. Absent when the turn made none.
    /// </summary>
    public const string McpServerToolCalls = "McpServerToolCalls";
}
