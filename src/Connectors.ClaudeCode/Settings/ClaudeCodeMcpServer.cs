// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// A remote MCP server (streamable HTTP) that Claude Code connects to for one request: its tools are offered to the
/// model and their calls run inside the turn, reported in <see cref="ClaudeCodeMetadataKeys.McpServerToolCalls"/>.
/// The SK counterpart of Microsoft.Extensions.AI's <c>HostedMcpServerTool</c>. JSON:
/// <c>{"name":"docs","url":"https://example.com/mcp","allowed_tools":["search"],"require_approval":"Never"}</c>.
/// </summary>
public sealed class ClaudeCodeMcpServer
{
    /// <summary>The server's name, as the model sees it in its tool names (<c>mcp__&lt;name&gt;__&lt;tool&gt;</c>). Letters, digits, <c>_</c> and <c>-</c>.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The server's absolute http(s) URL.</summary>
    [JsonPropertyName("url")]
    public Uri? Url { get; set; }

    /// <summary>HTTP headers sent with every request to the server (e.g. <c>Authorization</c>). They reach the CLI through its environment, not its command line.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>Only these of the server's tools may run; null (default) for all. Calls of other tools are refused with a reason the model reads.</summary>
    [JsonPropertyName("allowed_tools")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? AllowedTools { get; set; }

    /// <summary>Whether calls need the app's approval; <see cref="ClaudeCodeMcpApproval.Always"/> (default) sends each to <see cref="ClaudeCodeOptions.ToolPermission"/>.</summary>
    [JsonPropertyName("require_approval")]
    public ClaudeCodeMcpApproval RequireApproval { get; set; } = ClaudeCodeMcpApproval.Always;

    /// <summary>Tools whose calls need approval whatever <see cref="RequireApproval"/> says.</summary>
    [JsonPropertyName("always_require_approval_tools")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? AlwaysRequireApprovalTools { get; set; }

    /// <summary>Tools whose calls run without approval whatever <see cref="RequireApproval"/> says (unless also in <see cref="AlwaysRequireApprovalTools"/>).</summary>
    [JsonPropertyName("never_require_approval_tools")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? NeverRequireApprovalTools { get; set; }

    /// <summary>A copy.</summary>
    /// <returns>A new configuration with the same values.</returns>
    public ClaudeCodeMcpServer Clone() => new()
    {
        Name = this.Name,
        Url = this.Url,
        Headers = this.Headers is null ? null : new Dictionary<string, string>(this.Headers, StringComparer.OrdinalIgnoreCase),
        AllowedTools = this.AllowedTools?.ToList(),
        RequireApproval = this.RequireApproval,
        AlwaysRequireApprovalTools = this.AlwaysRequireApprovalTools?.ToList(),
        NeverRequireApprovalTools = this.NeverRequireApprovalTools?.ToList(),
    };
}
