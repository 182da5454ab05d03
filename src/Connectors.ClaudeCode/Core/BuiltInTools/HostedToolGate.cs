// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// The permission path of the tools the CLI runs itself: Claude Code's built-in tools, decided by the app's
/// <see cref="ClaudeCodeOptions.ToolPermission"/>, and the request's MCP servers' tools, decided by their rules (allowed
/// tools, approval). Every other control request (kernel functions' permission prompts, the kernel server's MCP
/// messages) goes to the next handler. Also keeps what happened to each such call, for the caller.
/// </summary>
internal sealed class HostedToolGate
{
    /// <summary>What the model reads when the app enabled built-in tools but gave no callback to decide them.</summary>
    public const string NoCallbackReason = "Denied: the app enabled this built-in tool (ClaudeCodeOptions.BuiltInTools) but set no ClaudeCodeOptions.ToolPermission callback to allow its calls.";

    /// <summary>What the model reads when an MCP server's tool needs approval and the app has no callback to give it.</summary>
    public const string NoApproverReason = "Denied: calls of this MCP server's tool need the app's approval, and the app set no ClaudeCodeOptions.ToolPermission callback to give it.";

    private readonly Func<ClaudeCodeToolPermissionRequest, CancellationToken, ValueTask<ClaudeCodeToolPermissionResult>>? _permission;
    private readonly Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? _next;
    private readonly ILogger _logger;
    private readonly WebSearchPolicy? _webSearch;
    private readonly IReadOnlyList<HostedMcpServer> _servers;
    private readonly object _gate = new();
    private readonly Dictionary<string, (bool Allowed, JsonElement Input)> _decisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, bool IsError, JsonElement? Details)> _results = new(StringComparer.Ordinal);

    public HostedToolGate(ClaudeCodeOptions options, Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? next, ILogger logger, WebSearchPolicy? webSearch = null, IReadOnlyList<HostedMcpServer>? servers = null)
    {
        this._webSearch = webSearch;
        this._servers = servers ?? [];
        this._permission = options.ToolPermission;
        this._next = next;
        this._logger = logger;
    }

    /// <summary>Notes the results of the CLI's runs from its <c>user</c> messages (runs on the reading thread).</summary>
    public void Observe(CliMessage message)
    {
        var details = (message as CliUserMessage)?.ToolUseResult;
        foreach (var result in ToolResults(message))
        {
            lock (this._gate)
            {
                this._results[result.ToolUseId] = (result.Text, result.IsError, details?.Clone());
            }
        }
    }

    /// <summary>
    /// The call of <paramref name="toolUse"/> as known now (the app's decision, the result once it ran); null for a
    /// kernel function, which is not the CLI's to run.
    /// </summary>
    public HostedToolCall? Describe(CliToolUseBlock toolUse)
    {
        if (toolUse.Name.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var server = this.ServerOf(toolUse.Name);
        var input = toolUse.Input.ValueKind == JsonValueKind.Undefined ? JsonSerializer.SerializeToElement(new JsonObject()) : toolUse.Input;
        lock (this._gate)
        {
            var decided = this._decisions.TryGetValue(toolUse.Id, out var decision);
            var ran = this._results.TryGetValue(toolUse.Id, out var result);
            return new HostedToolCall
            {
                Id = toolUse.Id,
                ServerName = server?.Name,
                ToolName = server is null ? toolUse.Name : toolUse.Name[server.ModelPrefix.Length..],
                Input = decided ? decision.Input : input,
                Allowed = decided ? decision.Allowed : null,
                ResultText = ran ? result.Text : null,
                IsError = ran && result.IsError,
                ResultDetails = ran ? result.Details : null,
            };
        }
    }

    /// <summary>The calls whose results <paramref name="message"/> (a CLI <c>user</c> message) carries, with those results.</summary>
    public IReadOnlyList<HostedToolCall> ResultsIn(CliMessage message, TurnTranscript transcript)
        => ToolResults(message)
            .Select(result => transcript.FindToolUse(result.ToolUseId) is { } toolUse ? this.Describe(toolUse) : null)
            .OfType<HostedToolCall>()
            .ToList();

    /// <summary>Every call of the turn the CLI ran or refused, in the order the model made them.</summary>
    public IReadOnlyList<HostedToolCall> Calls(IReadOnlyList<AssistantTurnMessage> messages)
        => messages.SelectMany(m => m.Blocks.OfType<CliToolUseBlock>()).Select(this.Describe).OfType<HostedToolCall>().ToList();

    public Task<JsonNode?> HandleAsync(CliControlRequest request, CancellationToken cancellationToken)
    {
        var toolName = request.Request.GetStringOrNull("tool_name");
        if (request.RequestSubtype == "can_use_tool" && toolName is not null && !toolName.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal))
        {
            return this.DecideAsync(toolName, request.Request, cancellationToken);
        }

        return this._next is { } next
            ? next(request, cancellationToken)
            : throw new NotSupportedException($"Unsupported control request: {request.RequestSubtype} {toolName}");
    }

    private HostedMcpServer? ServerOf(string modelToolName)
        => this._servers.FirstOrDefault(s => modelToolName.StartsWith(s.ModelPrefix, StringComparison.Ordinal));

    private async Task<JsonNode?> DecideAsync(string modelToolName, JsonElement request, CancellationToken cancellationToken)
    {
        var toolUseId = request.GetStringOrNull("tool_use_id");
        var input = request.GetPropertyOrNull("input")?.Clone() ?? JsonSerializer.SerializeToElement(new JsonObject());
        var server = this.ServerOf(modelToolName);
        var toolName = server is null ? modelToolName : modelToolName[server.ModelPrefix.Length..];
        if (this._webSearch is { } webSearch && server is null && toolName == BuiltInToolNames.WebSearch)
        {
            // The app's domain lists go into the input the callback sees and the tool runs with.
            input = webSearch.Apply(input);
        }

        var decision = await this.AskAsync(server, toolName, input, toolUseId, cancellationToken).ConfigureAwait(false);
        if (toolUseId is not null)
        {
            lock (this._gate)
            {
                this._decisions[toolUseId] = (decision.IsAllowed, (decision.UpdatedInput ?? input).Clone());
            }
        }

        if (this._logger.IsEnabled(LogLevel.Debug))
        {
            this._logger.LogDebug("Tool {Tool} call {CallId}: {Decision}.", modelToolName, toolUseId, decision.IsAllowed ? (decision.UpdatedInput is null ? "allowed" : "allowed with edited input") : "denied");
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

    private async Task<ClaudeCodeToolPermissionResult> AskAsync(HostedMcpServer? server, string toolName, JsonElement input, string? toolUseId, CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            if (!server.Allows(toolName))
            {
                return ClaudeCodeToolPermissionResult.Deny($"Denied: the app does not allow the tool {toolName} of the MCP server {server.Name}.");
            }

            if (!server.NeedsApproval(toolName))
            {
                return ClaudeCodeToolPermissionResult.Allow();
            }
        }

        if (this._permission is not { } permission)
        {
            // A request that asked for web search consented to its searches; every other tool still needs the callback.
            return server is not null ? ClaudeCodeToolPermissionResult.Deny(NoApproverReason)
                : this._webSearch is not null && toolName == BuiltInToolNames.WebSearch ? ClaudeCodeToolPermissionResult.Allow()
                : ClaudeCodeToolPermissionResult.Deny(NoCallbackReason);
        }

        try
        {
            return await permission(new ClaudeCodeToolPermissionRequest(toolName, input, toolUseId) { McpServerName = server?.Name }, cancellationToken).ConfigureAwait(false)
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
            return ClaudeCodeToolPermissionResult.Deny($"Denied: the app's permission check for {toolName} failed.");
        }
    }

    /// <summary>The <c>tool_result</c> blocks of a top-level CLI <c>user</c> message; none for any other message.</summary>
    private static IEnumerable<CliToolResultBlock> ToolResults(CliMessage message)
        => message is CliUserMessage { ParentToolUseId: null } user
            ? user.Blocks.OfType<CliToolResultBlock>().Where(result => result.ToolUseId.Length > 0)
            : [];
}
