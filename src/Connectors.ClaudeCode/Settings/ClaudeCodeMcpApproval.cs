// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>Whether the calls of an MCP server's tools need the app's approval (<see cref="ClaudeCodeOptions.ToolPermission"/>) before they run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaudeCodeMcpApproval>))]
public enum ClaudeCodeMcpApproval
{
    /// <summary>Every call is decided by <see cref="ClaudeCodeOptions.ToolPermission"/>; without a callback it is refused. The default.</summary>
    Always,

    /// <summary>Calls run without asking.</summary>
    Never,
}
