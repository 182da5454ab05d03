// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>
/// A value that fits a JSON schema, made up for the demo responder: tool arguments and structured answers. Strings
/// take a name from the question when it has one (the last capitalised word after the first), so that "the weather in
/// Lisbon" calls the weather tool with "Lisbon".
/// </summary>
internal sealed class JsonSchemaSample
{
    private const int MaxDepth = 8;

    // Properties that usually hold what a question names (a city, a museum, a person).
    private static readonly string[] s_nameWords = ["name", "city", "location", "place", "museum", "title", "query", "subject", "topic"];

    private readonly JsonObject? _root;
    private readonly string? _nameFromQuestion;

    public JsonSchemaSample(JsonObject? schema, string question)
    {
        this._root = schema;
        this._nameFromQuestion = NameIn(question);
    }

    /// <summary>The sample; an object for a schema that says nothing more (as <c>json_object</c> asks).</summary>
    public JsonNode Create() => this.Sample(this._root, "answer", 0) ?? new JsonObject();

    private static string? NameIn(string question)
    {
        var words = question.Split([' ', '\t', '\n', '\r', ',', '.', '?', '!', ':', ';', '"', '\''], StringSplitOptions.RemoveEmptyEntries);
        return words.Skip(1).LastOrDefault(w => char.IsUpper(w[0]) && w.All(char.IsLetter));
    }

    private static bool NameLike(string property)
        => s_nameWords.Any(w => property.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static double Minimum(JsonObject schema)
        => schema["minimum"] is JsonValue value && value.TryGetValue<double>(out var minimum) ? minimum : double.MinValue;

    private JsonObject? Resolve(JsonObject schema)
    {
        // Local references only (#/$defs/X, #/definitions/X): what .NET's schema exporter writes.
        if (schema["$ref"]?.GetValue<string>() is not { } reference || !reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return schema;
        }

        JsonNode? node = this._root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node as JsonObject;
    }

    private JsonNode? Sample(JsonObject? schema, string name, int depth, bool onlyProperty = false)
    {
        schema = schema is null ? null : this.Resolve(schema);
        if (schema is null || depth > MaxDepth)
        {
            return depth == 0 ? new JsonObject() : JsonValue.Create(this._nameFromQuestion ?? "example " + name);
        }

        if (schema["const"] is { } constant)
        {
            return constant.DeepClone();
        }

        if (schema["enum"] is JsonArray { Count: > 0 } choices)
        {
            return choices[0]?.DeepClone();
        }

        if ((schema["anyOf"] ?? schema["oneOf"] ?? schema["allOf"]) is JsonArray { Count: > 0 } alternatives)
        {
            var first = alternatives.OfType<JsonObject>().FirstOrDefault(a => a["type"]?.ToString() != "null");
            return this.Sample(first, name, depth + 1);
        }

        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t?.ToString()).FirstOrDefault(t => t != "null"),
            JsonValue one => one.ToString(),
            _ => schema["properties"] is not null ? "object" : null,
        };

        switch (type)
        {
            case "object":
            {
                var result = new JsonObject();
                if (schema["properties"] is JsonObject properties && properties.Count > 0)
                {
                    // An object with one property takes the name from the question whatever the property is called.
                    foreach (var (propertyName, propertySchema) in properties)
                    {
                        result[propertyName] = this.Sample(propertySchema as JsonObject, propertyName, depth + 1, properties.Count == 1);
                    }
                }
                else if (depth == 0)
                {
                    result["answer"] = "Offline demo answer (no model ran).";
                }

                return result;
            }

            case "array":
                return new JsonArray(this.Sample(schema["items"] as JsonObject, name, depth + 1));
            case "integer":
                return JsonValue.Create(Math.Max(3, (long)Math.Ceiling(Minimum(schema))));
            case "number":
                return JsonValue.Create(Math.Max(2.5, Minimum(schema)));
            case "boolean":
                return JsonValue.Create(true);
            case "null":
                return null;
            default:
                return JsonValue.Create(schema["format"]?.GetValue<string>() switch
                {
                    "date-time" => "2026-01-01T12:00:00Z",
                    "date" => "2026-01-01",
                    "uri" => "https://example.com/",
                    "email" => "someone@example.com",
                    _ => this._nameFromQuestion is { } named && (onlyProperty || NameLike(name)) ? named : "example " + name,
                });
        }
    }
}
