// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// A call of one of Claude Code's built-in tools (see <see cref="ClaudeCodeOptions.BuiltInTools"/>), or of a request's
/// MCP server tool that needs approval, waiting for the app's decision in <see cref="ClaudeCodeOptions.ToolPermission"/>.
/// </summary>
public sealed class ClaudeCodeToolPermissionRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="toolName">The built-in tool's name, e.g. <c>Read</c>.</param>
    /// <param name="input">The tool's input as the model wrote it.</param>
    /// <param name="toolUseId">The id of the model's <c>tool_use</c> block, when the CLI sends it.</param>
    public ClaudeCodeToolPermissionRequest(string toolName, JsonElement input, string? toolUseId)
    {
        this.ToolName = toolName;
        this.Input = input;
        this.ToolUseId = toolUseId;
    }

    /// <summary>The built-in tool's name, e.g. <c>Read</c> or <c>Grep</c>; for an MCP server's tool, its name on the server.</summary>
    public string ToolName { get; }

    /// <summary>The MCP server (<see cref="ClaudeCodePromptExecutionSettings.McpServers"/>, <c>HostedMcpServerTool</c>) whose tool is called; null for a built-in tool.</summary>
    public string? McpServerName { get; init; }

    /// <summary>The tool's input as the model wrote it (for <c>Read</c>, an object with <c>file_path</c>).</summary>
    public JsonElement Input { get; }

    /// <summary>The id of the model's <c>tool_use</c> block, when the CLI sends it.</summary>
    public string? ToolUseId { get; }
}
