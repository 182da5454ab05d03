// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// Answers the CLI's <c>can_use_tool</c> requests for Claude Code's built-in tools with the app's
/// <see cref="ClaudeCodeOptions.ToolPermission"/>; every other control request (kernel functions' permission prompts,
/// MCP messages) goes to the next handler (the turn's functions).
/// </summary>
internal sealed class BuiltInToolGate
{
    /// <summary>What the model reads when the app enabled built-in tools but gave no callback to decide them.</summary>
    public const string NoCallbackReason = "Denied: the app enabled this built-in tool (ClaudeCodeOptions.BuiltInTools) but set no ClaudeCodeOptions.ToolPermission callback to allow its calls.";

    private readonly Func<ClaudeCodeToolPermissionRequest, CancellationToken, ValueTask<ClaudeCodeToolPermissionResult>>? _permission;
    private readonly Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? _next;
    private readonly ILogger _logger;
    private readonly WebSearchPolicy? _webSearch;
    private readonly object _gate = new();
    private readonly Dictionary<string, bool> _decisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, bool IsError)> _results = new(StringComparer.Ordinal);

    public BuiltInToolGate(ClaudeCodeOptions options, Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? next, ILogger logger, WebSearchPolicy? webSearch = null)
    {
        this._webSearch = webSearch;
        this._permission = options.ToolPermission;
        this._next = next;
        this._logger = logger;
    }

    /// <summary>Notes the results of built-in tool calls from the CLI's <c>user</c> messages (runs on the reading thread).</summary>
    public void Observe(CliMessage message)
    {
        if (message.Type != "user" || message.Raw.GetPropertyOrNull("message")?.GetPropertyOrNull("content") is not { ValueKind: JsonValueKind.Array } content)
        {
            return;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.GetStringOrNull("type") == "tool_result" && block.GetStringOrNull("tool_use_id") is { } id)
            {
                var isError = block.GetPropertyOrNull("is_error") is { ValueKind: JsonValueKind.True };
                lock (this._gate)
                {
                    this._results[id] = (ResultText(block), isError);
                }
            }
        }
    }

    /// <summary>
    /// The built-in tool calls of the turn's model messages, as <see cref="FunctionCallContent"/>s the caller must not
    /// run: each has <c>Allowed</c>, <c>Result</c> and <c>IsError</c> in its metadata (what the CLI already did).
    /// </summary>
    public IReadOnlyList<FunctionCallContent> Calls(IReadOnlyList<AssistantTurnMessage> messages)
    {
        var calls = new List<FunctionCallContent>();
        lock (this._gate)
        {
            foreach (var message in messages)
            {
                foreach (var block in message.Blocks)
                {
                    if (block is not CliToolUseBlock toolUse || toolUse.Name.StartsWith("mcp__", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["Allowed"] = this._decisions.TryGetValue(toolUse.Id, out var allowed) ? allowed : null,
                    };
                    if (this._results.TryGetValue(toolUse.Id, out var result))
                    {
                        metadata["Result"] = result.Text;
                        metadata["IsError"] = result.IsError;
                    }

                    calls.Add(new FunctionCallContent(toolUse.Name, pluginName: null, toolUse.Id, FunctionCalling.ToolCatalog.ToArguments(toolUse.Input)) { Metadata = metadata });
                }
            }
        }

        return calls;
    }

    public Task<JsonNode?> HandleAsync(CliControlRequest request, CancellationToken cancellationToken)
    {
        var toolName = request.Request.GetStringOrNull("tool_name");
        if (request.RequestSubtype == "can_use_tool" && toolName is not null && !toolName.StartsWith("mcp__", StringComparison.Ordinal))
        {
            return this.DecideAsync(toolName, request.Request, cancellationToken);
        }

        return this._next is { } next
            ? next(request, cancellationToken)
            : throw new NotSupportedException($"Unsupported control request: {request.RequestSubtype} {toolName}");
    }

    private async Task<JsonNode?> DecideAsync(string toolName, JsonElement request, CancellationToken cancellationToken)
    {
        var toolUseId = request.GetStringOrNull("tool_use_id");
        var input = request.GetPropertyOrNull("input")?.Clone() ?? JsonSerializer.SerializeToElement(new JsonObject());
        if (this._webSearch is { } webSearch && toolName == BuiltInToolNames.WebSearch)
        {
            // The app's domain lists go into the input the callback sees and the tool runs with.
            input = webSearch.Apply(input);
        }

        ClaudeCodeToolPermissionResult decision;
        if (this._permission is not { } permission)
        {
            // The request itself asked for web search, which is the app's consent to its searches; every other tool
            // still needs the callback.
            decision = this._webSearch is not null && toolName == BuiltInToolNames.WebSearch
                ? ClaudeCodeToolPermissionResult.Allow()
                : ClaudeCodeToolPermissionResult.Deny(NoCallbackReason);
        }
        else
        {
            try
            {
                decision = await permission(new ClaudeCodeToolPermissionRequest(toolName, input, toolUseId), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("ClaudeCodeOptions.ToolPermission returned null.");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The app's failure must not end the conversation: the model is told the call was refused and goes on.
                this._logger.LogWarning(ex, "ClaudeCodeOptions.ToolPermission threw for {Tool} call {CallId}; the call is denied.", toolName, toolUseId);
                decision = ClaudeCodeToolPermissionResult.Deny($"Denied: the app's permission check for {toolName} failed.");
            }
        }

        if (toolUseId is not null)
        {
            lock (this._gate)
            {
                this._decisions[toolUseId] = decision.IsAllowed;
            }
        }

        if (this._logger.IsEnabled(LogLevel.Debug))
        {
            this._logger.LogDebug("Built-in tool {Tool} call {CallId}: {Decision}.", toolName, toolUseId, decision.IsAllowed ? (decision.UpdatedInput is null ? "allowed" : "allowed with edited input") : "denied");
        }

        if (!decision.IsAllowed)
        {
            return new JsonObject { ["behavior"] = "deny", ["message"] = decision.DenyReason };
        }

        // The CLI runs the call with updatedInput, so the original input goes back when the app changed nothing.
        return new JsonObject
        {
            ["behavior"] = "allow",
            ["updatedInput"] = JsonNode.Parse((decision.UpdatedInput ?? input).GetRawText()),
        };
    }

    private static string ResultText(JsonElement block)
    {
        var content = block.GetPropertyOrNull("content");
        if (content is { ValueKind: JsonValueKind.String } text)
        {
            return text.GetString() ?? string.Empty;
        }

        var builder = new System.Text.StringBuilder();
        if (content is { ValueKind: JsonValueKind.Array } parts)
        {
            foreach (var part in parts.EnumerateArray())
            {
                builder.Append(part.GetStringOrNull("text"));
            }
        }

        return builder.ToString();
    }
}
