// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>tool_result</c> block: the outcome of a tool call, as text (a string content, or its text parts joined).</summary>
internal sealed record CliToolResultBlock(string ToolUseId, string Text, bool IsError, JsonElement Raw) : CliContentBlock("tool_result", Raw)
{
    /// <summary>Parses one <c>tool_result</c> block.</summary>
    public static CliToolResultBlock FromJson(JsonElement block)
        => new(block.GetStringOrNull("tool_use_id") ?? string.Empty, TextOf(block.GetPropertyOrNull("content")), block.GetBooleanOrNull("is_error") == true, block);

    private static string TextOf(JsonElement? content)
    {
        if (content is { ValueKind: JsonValueKind.String } text)
        {
            return text.GetString() ?? string.Empty;
        }

        var builder = new StringBuilder();
        if (content is { ValueKind: JsonValueKind.Array } parts)
        {
            foreach (var part in parts.EnumerateArray())
            {
                builder.Append(part.GetStringOrNull("text"));
            }
        }

        return builder.ToString();
    }
}
