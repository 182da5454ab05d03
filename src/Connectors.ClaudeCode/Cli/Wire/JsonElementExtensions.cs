// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>Lenient readers for CLI JSON: a missing or differently typed field reads as null, never throws.</summary>
internal static class JsonElementExtensions
{
    public static JsonElement? GetPropertyOrNull(this JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        return null;
    }

    public static string? GetStringOrNull(this JsonElement element, string name)
        => element.GetPropertyOrNull(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static long? GetInt64OrNull(this JsonElement element, string name)
        => element.GetPropertyOrNull(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static double? GetDoubleOrNull(this JsonElement element, string name)
        => element.GetPropertyOrNull(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var number) ? number : null;

    public static bool? GetBooleanOrNull(this JsonElement element, string name)
        => element.GetPropertyOrNull(name) is { } value && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
