// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>
/// The functions offered to Claude in one turn, as MCP tools of the in-process server <see cref="ToolNaming.ServerName"/>,
/// and the way back from a tool name to the function: kernel functions (SK face) or function declarations (MEAI face).
/// </summary>
internal sealed class ToolCatalog
{
    private readonly Dictionary<string, ToolEntry> _byToolName = new(StringComparer.Ordinal);

    private ToolCatalog(IEnumerable<ToolEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (this._byToolName.TryGetValue(entry.ToolName, out var existing))
            {
                if (existing.Function is not null && ReferenceEquals(existing.Function, entry.Function))
                {
                    continue;
                }

                throw new ArgumentException(
                    $"Functions '{Describe(existing)}' and '{Describe(entry)}' both become the tool name '{entry.ToolName}' " +
                    "(characters outside [A-Za-z0-9_-] are replaced by '_', long names are shortened); rename one of them.");
            }

            this._byToolName[entry.ToolName] = entry;
        }
    }

    /// <summary>A catalog of kernel functions, which the connector can run itself.</summary>
    public static ToolCatalog FromKernelFunctions(IEnumerable<KernelFunction> functions)
        => new(functions.Select(f => new ToolEntry(f.Name, f.PluginName, f.Description, InputSchema(f.Metadata), f)));

    /// <summary>A catalog of function declarations (MEAI tools), which only the caller runs.</summary>
    public static ToolCatalog FromDeclarations(IEnumerable<AIFunctionDeclaration> declarations)
        => new(declarations.Select(d => new ToolEntry(
            d.Name,
            pluginName: null,
            d.Description,
            JsonNode.Parse(d.JsonSchema.ValueKind == JsonValueKind.Object ? d.JsonSchema.GetRawText() : """{"type":"object","properties":{}}""")!.AsObject(),
            function: null)));

    /// <summary>True when no function is offered.</summary>
    public bool IsEmpty => this._byToolName.Count == 0;

    /// <summary>Finds the entry for an MCP tool name or a model tool name (<c>mcp__kernel__…</c>).</summary>
    public bool TryGet(string name, out ToolEntry entry)
    {
        var toolName = name.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal) ? name[ToolNaming.McpPrefix.Length..] : name;
        return this._byToolName.TryGetValue(toolName, out entry!);
    }

    /// <summary>The MCP <c>tools/list</c> result.</summary>
    public JsonObject ToolsListResult()
    {
        var tools = new JsonArray();
        foreach (var entry in this._byToolName.Values)
        {
            var tool = new JsonObject
            {
                ["name"] = entry.ToolName,
                ["inputSchema"] = entry.InputSchema.DeepClone(),
            };
            if (!string.IsNullOrWhiteSpace(entry.Description))
            {
                tool["description"] = entry.Description;
            }

            tools.Add(tool);
        }

        return new JsonObject { ["tools"] = tools };
    }

    /// <summary>The JSON schema of a kernel function's parameters, built from its metadata.</summary>
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

    private static string Describe(ToolEntry entry)
        => string.IsNullOrEmpty(entry.PluginName) ? entry.FunctionName : entry.PluginName + "." + entry.FunctionName;
}
