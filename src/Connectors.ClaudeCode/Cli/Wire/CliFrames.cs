// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// Every frame the connector writes to the CLI, built in one place: conversation lines for stdin, and the bodies of
/// the control requests it sends (the channel wraps them in their envelope).
/// </summary>
internal static class CliFrames
{
    /// <summary>A conversation line: a user message (its content blocks), or an earlier assistant message replayed.</summary>
    /// <param name="isAssistant">True for an assistant message.</param>
    /// <param name="content">The Messages API content blocks.</param>
    /// <param name="startsTurn">
    /// False for an earlier user message of a replayed history: the CLI records it without asking the model
    /// (<c>shouldQuery: false</c>) and acknowledges it with a zero-turn result.
    /// </param>
    /// <param name="asTypedIntoClaudeCode">
    /// True to let the CLI treat a user message as typed into Claude Code: a leading '/' runs one of its commands, an
    /// "@path" attaches that file, and its per-turn additions (the token reminders among them) are made.
    /// </param>
    public static JsonObject Message(bool isAssistant, JsonArray content, bool startsTurn = true, bool asTypedIntoClaudeCode = false)
    {
        var line = new JsonObject
        {
            ["type"] = isAssistant ? "assistant" : "user",
            ["message"] = new JsonObject
            {
                ["role"] = isAssistant ? "assistant" : "user",
                ["content"] = content.DeepClone(),
            },
            ["parent_tool_use_id"] = null,
            ["session_id"] = string.Empty,
        };
        if (!isAssistant && !asTypedIntoClaudeCode)
        {
            // The caller's text as it is: without it the CLI runs a message that starts with '/' as one of its own
            // commands ("/cost" answered with its cost report and no model request, "/clear" dropped the conversation),
            // replayed messages included, and expands "@path" mentions (verified on CLI 2.1.328).
            line["client_composed"] = true;
        }

        if (!isAssistant && !startsTurn)
        {
            line["shouldQuery"] = false;
        }

        return line;
    }

    /// <summary><c>initialize</c>: optionally with the in-process MCP servers and the system prompt (a late initialize).</summary>
    public static JsonObject Initialize(JsonArray? sdkMcpServers, string? systemPrompt = null)
    {
        var initialize = new JsonObject { ["subtype"] = "initialize", ["hooks"] = null };
        if (sdkMcpServers is not null)
        {
            initialize["sdkMcpServers"] = sdkMcpServers;
        }

        if (systemPrompt is not null)
        {
            // An empty entry means no system prompt at all, not Claude Code's own.
            initialize["systemPrompt"] = new JsonArray(systemPrompt);
        }

        return initialize;
    }

    /// <summary><c>interrupt</c>: stop the current turn.</summary>
    public static JsonObject Interrupt() => new() { ["subtype"] = "interrupt" };

    /// <summary>Asks for the state of the process's MCP servers (<c>{"mcpServers":[{name, status, error?}]}</c>).</summary>
    public static JsonObject McpStatus() => new() { ["subtype"] = "mcp_status" };

    /// <summary>
    /// <c>get_usage</c>: the process's totals so far (<c>session.total_cost_usd</c>, <c>model_usage</c>, …). Answered
    /// in the middle of a turn too (verified on CLI 2.1.328 while a permission request was held).
    /// </summary>
    public static JsonObject GetUsage() => new() { ["subtype"] = "get_usage" };

    /// <summary>
    /// <c>mcp_set_servers</c>: the process's MCP servers from now on. Adds an in-process ("sdk") server to a running
    /// process, which then starts its handshake (verified on CLI 2.1.328: answered in ~7 ms, the next turn had the tools).
    /// </summary>
    public static JsonObject McpSetServers(JsonObject servers) => new() { ["subtype"] = "mcp_set_servers", ["servers"] = servers };

    /// <summary><c>set_max_thinking_tokens</c>: 0 turns thinking off, a number sets the budget.</summary>
    public static JsonObject SetMaxThinkingTokens(int? tokens) => new() { ["subtype"] = "set_max_thinking_tokens", ["max_thinking_tokens"] = tokens };

    /// <summary><c>apply_flag_settings</c>: settings as their command-line flags would give them (model, env).</summary>
    public static JsonObject ApplyFlagSettings(JsonObject settings) => new() { ["subtype"] = "apply_flag_settings", ["settings"] = settings };

    /// <summary>The answer to one of the CLI's control requests.</summary>
    public static JsonObject ControlResponse(string requestId, JsonNode? payload) => new()
    {
        ["type"] = "control_response",
        ["response"] = new JsonObject { ["subtype"] = "success", ["request_id"] = requestId, ["response"] = payload ?? new JsonObject() },
    };

    /// <summary>The error answer to one of the CLI's control requests.</summary>
    public static JsonObject ControlError(string requestId, string message) => new()
    {
        ["type"] = "control_response",
        ["response"] = new JsonObject { ["subtype"] = "error", ["request_id"] = requestId, ["error"] = message },
    };

    /// <summary>A control request in its envelope.</summary>
    public static JsonObject ControlRequest(string requestId, JsonObject request) => new()
    {
        ["type"] = "control_request",
        ["request_id"] = requestId,
        ["request"] = request,
    };
}
