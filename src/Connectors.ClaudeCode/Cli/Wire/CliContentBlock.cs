// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// One content block of a model response, parsed once from the wire: <see cref="CliTextBlock"/>,
/// <see cref="CliThinkingBlock"/>, <see cref="CliToolUseBlock"/>, <see cref="CliToolResultBlock"/>, or any other kind kept as it came.
/// </summary>
/// <param name="Type">The block's <c>type</c>.</param>
/// <param name="Raw">The block as it came, for what the connector does not model.</param>
internal record CliContentBlock(string Type, JsonElement Raw)
{
    /// <summary>The blocks of a <c>content</c> array; none when it is missing or not an array.</summary>
    public static IReadOnlyList<CliContentBlock> ParseAll(JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var blocks = new List<CliContentBlock>(content.GetArrayLength());
        foreach (var block in content.EnumerateArray())
        {
            blocks.Add(Parse(block));
        }

        return blocks;
    }

    /// <summary>One block.</summary>
    public static CliContentBlock Parse(JsonElement block)
    {
        var type = block.GetStringOrNull("type") ?? string.Empty;
        return type switch
        {
            "text" => new CliTextBlock(block.GetStringOrNull("text") ?? string.Empty, block),
            "thinking" => new CliThinkingBlock(block.GetStringOrNull("thinking") ?? string.Empty, block),
            "tool_use" => new CliToolUseBlock(block.GetStringOrNull("id") ?? string.Empty, block.GetStringOrNull("name") ?? string.Empty, block.GetPropertyOrNull("input") ?? default, block),
            "tool_result" => CliToolResultBlock.FromJson(block),
            _ => new CliContentBlock(type, block),
        };
    }
}
