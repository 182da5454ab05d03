// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>One content block of a scripted response.</summary>
public sealed class FakeBlock
{
    private FakeBlock(string type)
    {
        this.Type = type;
    }

    /// <summary><c>text</c>, <c>thinking</c> or <c>tool_use</c>.</summary>
    public string Type { get; }

    /// <summary>The text of a text block, the thinking of a thinking block.</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>The signature of a thinking block.</summary>
    public string Signature { get; private init; } = "c2lnbmF0dXJl";

    /// <summary>The id of a tool_use block.</summary>
    public string ToolUseId { get; private init; } = string.Empty;

    /// <summary>The tool name of a tool_use block.</summary>
    public string ToolName { get; private init; } = string.Empty;

    /// <summary>The input JSON of a tool_use block.</summary>
    public string InputJson { get; private init; } = "{}";

    /// <summary>A text block.</summary>
    public static FakeBlock TextBlock(string text) => new("text") { Text = text };

    /// <summary>A thinking block with a signature.</summary>
    public static FakeBlock ThinkingBlock(string thinking) => new("thinking") { Text = thinking };

    /// <summary>A tool_use block.</summary>
    public static FakeBlock ToolUseBlock(string id, string toolName, string inputJson) => new("tool_use") { ToolUseId = id, ToolName = toolName, InputJson = inputJson };
}
