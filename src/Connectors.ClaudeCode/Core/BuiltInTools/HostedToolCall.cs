// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// A call the CLI runs itself, inside the turn: a built-in tool's (<c>Read</c>, <c>WebSearch</c>, …) or a tool of one of
/// the request's MCP servers. Face-neutral: the SK face reports it in metadata and stream items, the MEAI face as
/// informational contents. A snapshot: the call as first seen has no result yet.
/// </summary>
internal sealed record HostedToolCall
{
    /// <summary>The id of the model's <c>tool_use</c> block.</summary>
    public required string Id { get; init; }

    /// <summary>The built-in tool's name, or the tool's name on its MCP server.</summary>
    public required string ToolName { get; init; }

    /// <summary>The MCP server of the tool; null for a built-in tool.</summary>
    public string? ServerName { get; init; }

    /// <summary>The input the call ran with (the app's edits and domain lists included, once decided).</summary>
    public required JsonElement Input { get; init; }

    /// <summary>The app's decision; null before it was asked (or when the CLI never asked).</summary>
    public bool? Allowed { get; init; }

    /// <summary>The tool's output as the model reads it; null until the call ended.</summary>
    public string? ResultText { get; init; }

    /// <summary>True when the call failed or was refused.</summary>
    public bool IsError { get; init; }

    /// <summary>What the CLI reported beside the result (its <c>tool_use_result</c>), when it did.</summary>
    public JsonElement? ResultDetails { get; init; }

    /// <summary>True for a call of Claude Code's <c>WebSearch</c> tool.</summary>
    public bool IsWebSearch => this.ServerName is null && this.ToolName == BuiltInToolNames.WebSearch;

    /// <summary>The search query of a <see cref="IsWebSearch"/> call.</summary>
    public string? Query => this.IsWebSearch ? this.Input.GetStringOrNull("query") : null;

    /// <summary>
    /// The pages a web search found, from the CLI's <c>tool_use_result.results</c>: entries that are objects with a
    /// <c>content</c> list of <c>{title, url}</c> (plain-text entries are the tool's own commentary).
    /// </summary>
    public IReadOnlyList<ClaudeCodeWebLink> Links
    {
        get
        {
            var links = new List<ClaudeCodeWebLink>();
            if (!this.IsWebSearch || this.ResultDetails?.GetPropertyOrNull("results") is not { ValueKind: JsonValueKind.Array } results)
            {
                return links;
            }

            foreach (var entry in results.EnumerateArray())
            {
                if (entry.GetPropertyOrNull("content") is not { ValueKind: JsonValueKind.Array } pages)
                {
                    continue;
                }

                foreach (var page in pages.EnumerateArray())
                {
                    if (page.GetStringOrNull("url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    {
                        links.Add(new ClaudeCodeWebLink(page.GetStringOrNull("title") ?? url, uri));
                    }
                }
            }

            return links;
        }
    }
}
