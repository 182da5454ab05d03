// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Names of kernel functions as Claude sees them. Functions are served by the in-process MCP server
/// <see cref="ServerName"/>, so the model sees <c>mcp__kernel__Plugin-Function</c>; "-" joins plugin and
/// function as SK's OpenAI connector and <c>FunctionCallContentBuilder</c> expect.
/// </summary>
internal static class ToolNaming
{
    /// <summary>The in-process MCP server that serves kernel functions.</summary>
    public const string ServerName = "kernel";

    /// <summary>What the CLI puts before an MCP tool's name.</summary>
    public const string McpPrefix = "mcp__" + ServerName + "__";

    /// <summary>Separates plugin and function names.</summary>
    public const char PluginSeparator = '-';

    /// <summary>The MCP tool name of a function: <c>Plugin-Function</c>, or <c>Function</c> without a plugin.</summary>
    public static string ToolName(string? pluginName, string functionName)
        => Sanitize(string.IsNullOrEmpty(pluginName) ? functionName : pluginName + PluginSeparator + functionName);

    /// <summary>The name the model uses for a function (<c>mcp__kernel__Plugin-Function</c>).</summary>
    public static string ModelToolName(string? pluginName, string functionName) => McpPrefix + ToolName(pluginName, functionName);

    /// <summary>Splits a tool name the model used back into plugin and function.</summary>
    public static (string? PluginName, string FunctionName) Parse(string modelToolName)
    {
        var name = modelToolName.StartsWith(McpPrefix, System.StringComparison.Ordinal) ? modelToolName[McpPrefix.Length..] : modelToolName;
        var separator = name.IndexOf(PluginSeparator, System.StringComparison.Ordinal);
        return separator > 0 ? (name[..separator], name[(separator + 1)..]) : (null, name);
    }

    /// <summary>Replaces characters the API's tool-name rule (<c>[A-Za-z0-9_-]</c>) forbids, as the CLI itself does.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return builder.ToString();
    }
}
