// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// A <c>user</c> line the CLI writes: the results of the tools it ran (<see cref="CliToolResultBlock"/>s), with the
/// tool's own structured output beside them.
/// </summary>
internal sealed class CliUserMessage : CliMessage
{
    public CliUserMessage(JsonElement raw)
        : base("user", raw)
    {
        this.Blocks = CliContentBlock.ParseAll(raw.GetPropertyOrNull("message")?.GetPropertyOrNull("content") ?? default);
        this.ParentToolUseId = raw.GetStringOrNull("parent_tool_use_id");
        this.ToolUseResult = raw.GetPropertyOrNull("tool_use_result");
    }

    /// <summary>The content blocks, parsed.</summary>
    public IReadOnlyList<CliContentBlock> Blocks { get; }

    /// <summary>Non-null inside a sub-agent; the connector only follows the main conversation.</summary>
    public string? ParentToolUseId { get; }

    /// <summary>The tool's structured output (<c>tool_use_result</c>), e.g. a web search's pages; null when absent.</summary>
    public JsonElement? ToolUseResult { get; }
}
