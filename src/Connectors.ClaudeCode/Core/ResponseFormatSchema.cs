// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// A response format as the JSON schema the CLI takes (<c>--json-schema</c>): from a .NET type, a schema in any of
/// the forms SK and MEAI use, or <c>json_object</c>; cleaned of keywords the CLI's validator refuses.
/// </summary>
internal static class ResponseFormatSchema
{
    /// <summary>The JSON schema a response format asks for, with keywords the CLI refuses removed; null for plain text.</summary>
    public static JsonObject? For(object? responseFormat, ILogger logger)
    {
        JsonNode? schema = responseFormat switch
        {
            null => null,
            string text when text.Equals("text", StringComparison.OrdinalIgnoreCase) => null,
            string text when text.Equals("json_object", StringComparison.OrdinalIgnoreCase) => new JsonObject { ["type"] = "object" },
            string text => ParseSchema(text),
            JsonElement { ValueKind: JsonValueKind.String } element => For(element.GetString(), logger),
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            JsonNode node => node.DeepClone(),
            JsonDocument document => JsonNode.Parse(document.RootElement.GetRawText()),
            ChatResponseFormatText => null,
            ChatResponseFormatJson { Schema: { } jsonSchema } => JsonNode.Parse(jsonSchema.GetRawText()),
            ChatResponseFormatJson => new JsonObject { ["type"] = "object" },
            // Property names as declared, so JsonSerializer.Deserialize<T> with default options reads the answer back.
            Type type => JsonNode.Parse(AIJsonUtilities.CreateJsonSchema(type, serializerOptions: JsonSerializerOptions.Default).GetRawText()),
            _ => throw new ArgumentException($"ResponseFormat (response_format) of type '{responseFormat.GetType().Name}' is not supported; use \"json_object\", a JSON schema, or a .NET type."),
        };

        if (schema is null)
        {
            return null;
        }

        if (schema is not JsonObject schemaObject)
        {
            throw new ArgumentException("ResponseFormat (response_format) must be a JSON schema object.");
        }

        // The CLI validates the schema with a draft-07 validator: a "$schema" of another draft and "$id" URNs make it exit.
        var removed = new List<string>();
        RemoveKeywords(schemaObject, removed, "$");
        if (removed.Count > 0)
        {
            logger.LogInformation("Removed JSON schema keywords the Claude Code CLI cannot take: {Keywords}.", string.Join(", ", removed));
        }

        return schemaObject;
    }

    private static JsonNode ParseSchema(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new ArgumentException("ResponseFormat (response_format) is the JSON literal null; pass null instead.");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"ResponseFormat (response_format) is neither \"json_object\", \"text\" nor valid JSON schema text: {ex.Message}", ex);
        }
    }

    private static void RemoveKeywords(JsonObject schema, List<string> removed, string path)
    {
        foreach (var keyword in new[] { "$schema", "$id" })
        {
            if (schema.Remove(keyword))
            {
                removed.Add(path == "$" ? keyword : path + "." + keyword);
            }
        }

        foreach (var (name, child) in schema.ToList())
        {
            switch (child)
            {
                case JsonObject childObject:
                    RemoveKeywords(childObject, removed, path + "." + name);
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        RemoveKeywords(item, removed, path + "." + name + "[]");
                    }

                    break;
            }
        }
    }

}
