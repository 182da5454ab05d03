// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using SK = Microsoft.SemanticKernel;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The calls the CLI ran itself (<see cref="HostedToolCall"/>) as each face shows them: SK function calls in metadata
/// and <see cref="StreamingClaudeCodeToolCallContent"/> stream items; MEAI's informational contents (web search and
/// MCP server calls and results, informational-only function calls) that no function invoker runs again.
/// </summary>
internal static class HostedToolContents
{
    /// <summary>The metadata keys of the turn's calls: built-in tools' and MCP servers' apart.</summary>
    public static void AddTo(Dictionary<string, object?> metadata, IReadOnlyList<HostedToolCall>? calls)
    {
        if (calls is not { Count: > 0 })
        {
            return;
        }

        var builtIn = calls.Where(c => c.ServerName is null).Select(ToFunctionCall).ToList();
        var mcp = calls.Where(c => c.ServerName is not null).Select(ToFunctionCall).ToList();
        if (builtIn.Count > 0)
        {
            metadata[ClaudeCodeMetadataKeys.BuiltInToolCalls] = builtIn;
        }

        if (mcp.Count > 0)
        {
            metadata[ClaudeCodeMetadataKeys.McpServerToolCalls] = mcp;
        }
    }

    /// <summary>The call as an SK function call that carries what happened in its metadata.</summary>
    public static SK.FunctionCallContent ToFunctionCall(HostedToolCall call)
    {
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Allowed"] = call.Allowed };
        if (call.ResultText is not null)
        {
            metadata["Result"] = call.ResultText;
            metadata["IsError"] = call.IsError;
        }

        if (call.IsWebSearch)
        {
            metadata["Query"] = call.Query;
            if (call.ResultText is not null)
            {
                metadata["Links"] = call.Links;
            }
        }

        return new SK.FunctionCallContent(call.ToolName, call.ServerName, call.Id, ToolCatalog.ToArguments(call.Input)) { Metadata = metadata };
    }

    /// <summary>The SK stream item of a call (made, or ended).</summary>
    public static StreamingClaudeCodeToolCallContent ToStreamingItem(HostedToolCall call, string? modelId)
    {
        var functionCall = ToFunctionCall(call);
        var result = call.ResultText is null ? null : new SK.FunctionResultContent(functionCall, call.ResultText);
        return new StreamingClaudeCodeToolCallContent(functionCall, result, modelId);
    }

    /// <summary>MEAI contents of a call: the call, and its result once it ended (<paramref name="resultOnly"/> for a streamed end).</summary>
    public static IEnumerable<AIContent> ToAIContents(HostedToolCall call, bool resultOnly = false)
    {
        if (!resultOnly)
        {
            yield return Call(call);
        }

        if (call.ResultText is not null)
        {
            yield return Result(call);
        }
    }

    /// <summary>True for contents these calls became: a later request's history leaves them out (the CLI ran them, the model saw their text).</summary>
    public static bool IsInformational(AIContent content, ISet<string> informationalCallIds)
        => content switch
        {
            WebSearchToolCallContent or WebSearchToolResultContent or McpServerToolCallContent or McpServerToolResultContent => true,
            Microsoft.Extensions.AI.FunctionCallContent { InformationalOnly: true } => true,
            Microsoft.Extensions.AI.FunctionResultContent result => informationalCallIds.Contains(result.CallId),
            _ => false,
        };

    private static AIContent Call(HostedToolCall call)
    {
        var arguments = ToolCatalog.ToArguments(call.Input)?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        if (call.IsWebSearch)
        {
            return new WebSearchToolCallContent(call.Id) { Queries = call.Query is { } query ? [query] : null, RawRepresentation = call, AdditionalProperties = Decision(call) };
        }

        if (call.ServerName is { } server)
        {
            return new McpServerToolCallContent(call.Id, call.ToolName, server) { Arguments = arguments, RawRepresentation = call, AdditionalProperties = Decision(call) };
        }

        return new Microsoft.Extensions.AI.FunctionCallContent(call.Id, call.ToolName, arguments) { InformationalOnly = true, RawRepresentation = call, AdditionalProperties = Decision(call) };
    }

    private static AIContent Result(HostedToolCall call)
    {
        var properties = new AdditionalPropertiesDictionary { ["IsError"] = call.IsError };
        if (call.IsWebSearch)
        {
            // A page's title travels in the link's additional properties, as MEAI's web search result documents.
            var links = call.Links.Select(link => (AIContent)new UriContent(link.Url, "text/html") { AdditionalProperties = new() { ["title"] = link.Title } }).ToList();
            return new WebSearchToolResultContent(call.Id) { Outputs = links, RawRepresentation = call, AdditionalProperties = properties };
        }

        if (call.ServerName is not null)
        {
            return new McpServerToolResultContent(call.Id) { Outputs = [new Microsoft.Extensions.AI.TextContent(call.ResultText)], RawRepresentation = call, AdditionalProperties = properties };
        }

        return new Microsoft.Extensions.AI.FunctionResultContent(call.Id, call.ResultText) { RawRepresentation = call, AdditionalProperties = properties };
    }

    private static AdditionalPropertiesDictionary? Decision(HostedToolCall call)
        => call.Allowed is { } allowed ? new() { ["Allowed"] = allowed } : null;
}
