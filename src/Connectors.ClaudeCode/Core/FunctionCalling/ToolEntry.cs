// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>One function offered to Claude: how the model sees it, and what it stands for on the caller's side.</summary>
internal sealed class ToolEntry
{
    public ToolEntry(string functionName, string? pluginName, string? description, JsonObject inputSchema, KernelFunction? function)
    {
        this.FunctionName = functionName;
        this.PluginName = pluginName;
        this.Description = description;
        this.InputSchema = inputSchema;
        this.Function = function;
        this.ToolName = ToolNaming.ToolName(pluginName, functionName);
    }

    /// <summary>The MCP tool name (the model sees it behind <see cref="ToolNaming.McpPrefix"/>).</summary>
    public string ToolName { get; }

    /// <summary>The caller's function name.</summary>
    public string FunctionName { get; }

    /// <summary>The caller's plugin name, when there is one.</summary>
    public string? PluginName { get; }

    public string? Description { get; }

    public JsonObject InputSchema { get; }

    /// <summary>The kernel function to run for auto-invocation; null for a declaration only the caller can run.</summary>
    public KernelFunction? Function { get; }
}
