// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>
/// The JSON-RPC side of the in-process MCP server: the answers that do not depend on the functions, and the shapes
/// of results and responses as the CLI expects them inside <c>mcp_message</c> control responses.
/// </summary>
internal static class McpMessages
{
    /// <summary>The JSON-RPC id of a message, to echo in its response; null for a notification.</summary>
    public static JsonNode? RequestId(JsonElement message)
        => message.GetPropertyOrNull("id") is { } idElement ? JsonNode.Parse(idElement.GetRawText()) : null;

    /// <summary>The answers that do not depend on the functions: <c>initialize</c>, <c>ping</c> and notifications; null for anything else.</summary>
    public static JsonObject? HandshakeResult(JsonElement message)
    {
        var method = message.GetStringOrNull("method");
        return method switch
        {
            "initialize" => new JsonObject
            {
                ["protocolVersion"] = message.GetPropertyOrNull("params")?.GetStringOrNull("protocolVersion") ?? "2025-06-18",
                ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                ["serverInfo"] = new JsonObject { ["name"] = ToolNaming.ServerName, ["version"] = "1.0.0" },
            },
            "ping" => new JsonObject(),
            _ when method?.StartsWith("notifications/", StringComparison.Ordinal) == true => new JsonObject(),
            _ => null,
        };
    }

    /// <summary>A <c>tools/call</c> result: the text, flagged as an error when the call failed.</summary>
    public static JsonObject ToolResult(string text, bool isError)
    {
        var result = new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        };
        if (isError)
        {
            result["isError"] = true;
        }

        return result;
    }

    /// <summary>The control-response payload wrapping a JSON-RPC response.</summary>
    public static JsonObject Response(JsonNode? id, JsonNode? result = null, JsonNode? error = null)
    {
        var response = new JsonObject { ["jsonrpc"] = "2.0" };
        if (id is not null)
        {
            response["id"] = id;
        }

        if (error is not null)
        {
            response["error"] = error;
        }
        else
        {
            response["result"] = result ?? new JsonObject();
        }

        return new JsonObject { ["mcp_response"] = response };
    }
}
