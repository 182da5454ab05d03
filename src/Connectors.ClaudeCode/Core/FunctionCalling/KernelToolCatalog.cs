// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>
/// The kernel functions offered to Claude in one turn, as MCP tools of the in-process server
/// <see cref="ToolNaming.ServerName"/>, and the way back from a tool name to its function.
/// </summary>
internal sealed class KernelToolCatalog
{
    private readonly Dictionary<string, KernelFunction> _byToolName = new(StringComparer.Ordinal);

    public KernelToolCatalog(IEnumerable<KernelFunction> functions)
    {
        foreach (var function in functions)
        {
            var toolName = ToolNaming.ToolName(function.PluginName, function.Name);
            if (this._byToolName.TryGetValue(toolName, out var existing) && !ReferenceEquals(existing, function))
            {
                throw new ArgumentException(
                    $"Kernel functions '{Describe(existing)}' and '{Describe(function)}' both become the tool name '{toolName}' " +
                    "(characters outside [A-Za-z0-9_-] are replaced by '_'); rename one of them.");
            }

            this._byToolName[toolName] = function;
        }
    }

    /// <summary>True when no function is offered.</summary>
    public bool IsEmpty => this._byToolName.Count == 0;

    /// <summary>The tool names, as the model sees them (<c>mcp__kernel__…</c>).</summary>
    public IEnumerable<string> ModelToolNames => this._byToolName.Keys.Select(name => ToolNaming.McpPrefix + name);

    /// <summary>Finds the function for an MCP tool name or a model tool name.</summary>
    public bool TryGetFunction(string name, out KernelFunction function)
    {
        var toolName = name.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal) ? name[ToolNaming.McpPrefix.Length..] : name;
        return this._byToolName.TryGetValue(toolName, out function!);
    }

    /// <summary>The MCP <c>tools/list</c> result.</summary>
    public JsonObject ToolsListResult()
    {
        var tools = new JsonArray();
        foreach (var (toolName, function) in this._byToolName)
        {
            var tool = new JsonObject
            {
                ["name"] = toolName,
                ["inputSchema"] = InputSchema(function.Metadata),
            };
            if (!string.IsNullOrWhiteSpace(function.Description))
            {
                tool["description"] = function.Description;
            }

            tools.Add(tool);
        }

        return new JsonObject { ["tools"] = tools };
    }

    /// <summary>The JSON schema of a function's parameters, built from its metadata.</summary>
    public static JsonObject InputSchema(KernelFunctionMetadata metadata)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var parameter in metadata.Parameters)
        {
            var schema = parameter.Schema is { } kernelSchema
                ? JsonNode.Parse(kernelSchema.RootElement.GetRawText())!.AsObject()
                : new JsonObject { ["type"] = "string" };
            if (!string.IsNullOrWhiteSpace(parameter.Description) && !schema.ContainsKey("description"))
            {
                schema["description"] = parameter.Description;
            }

            properties[parameter.Name] = schema;
            if (parameter.IsRequired)
            {
                required.Add(parameter.Name);
            }
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        return result;
    }

    /// <summary>Turns a tool call's JSON input into kernel arguments: strings as strings, everything else as JSON.</summary>
    public static KernelArguments ToArguments(JsonElement input)
    {
        var arguments = new KernelArguments();
        if (input.ValueKind != JsonValueKind.Object)
        {
            return arguments;
        }

        foreach (var property in input.EnumerateObject())
        {
            arguments[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => property.Value.Clone(),
            };
        }

        return arguments;
    }

    private static string Describe(KernelFunction function)
        => string.IsNullOrEmpty(function.PluginName) ? function.Name : function.PluginName + "." + function.Name;
}
