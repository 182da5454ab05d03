// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
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

    /// <summary>
    /// The longest tool name the model sees. The Messages API takes 64 characters everywhere (some models more), and
    /// the CLI passes MCP names through unshortened.
    /// </summary>
    public const int MaxModelToolNameLength = 64;

    /// <summary>
    /// The MCP tool name of a function: <c>Plugin-Function</c>, or <c>Function</c> without a plugin. Names that would
    /// be too long keep their start and get a stable hash of the whole name, so they stay unique and recognisable.
    /// </summary>
    public static string ToolName(string? pluginName, string functionName)
    {
        var name = Sanitize(string.IsNullOrEmpty(pluginName) ? functionName : pluginName + PluginSeparator + functionName);
        var limit = MaxModelToolNameLength - McpPrefix.Length;
        if (name.Length <= limit)
        {
            return name;
        }

        var hash = StableHash(name).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(name.AsSpan(0, limit - hash.Length - 1), "_", hash);
    }

    /// <summary>The name the model uses for a function (<c>mcp__kernel__Plugin-Function</c>).</summary>
    public static string ModelToolName(string? pluginName, string functionName) => McpPrefix + ToolName(pluginName, functionName);

    /// <summary>Splits a tool name the model used back into plugin and function.</summary>
    public static (string? PluginName, string FunctionName) Parse(string modelToolName)
    {
        var name = modelToolName.StartsWith(McpPrefix, System.StringComparison.Ordinal) ? modelToolName[McpPrefix.Length..] : modelToolName;
        var separator = name.IndexOf(PluginSeparator, System.StringComparison.Ordinal);
        return separator > 0 ? (name[..separator], name[(separator + 1)..]) : (null, name);
    }

    private static uint StableHash(string text)
    {
        // FNV-1a: the same name gets the same tool name in every process, which history replay relies on.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
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
