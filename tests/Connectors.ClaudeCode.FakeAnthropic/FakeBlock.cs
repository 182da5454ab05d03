// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>One content block of a scripted response.</summary>
public sealed class FakeBlock
{
    private FakeBlock(string type)
    {
        this.Type = type;
    }

    /// <summary><c>text</c>, <c>thinking</c>, <c>tool_use</c>, <c>server_tool_use</c> or <c>web_search_tool_result</c>.</summary>
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

    /// <summary>
    /// The citations of a text block (the API's citation objects: <c>char_location</c>, <c>page_location</c>, …), sent
    /// in its <c>citations</c> array, or streamed as one <c>citations_delta</c> each after the block's text.
    /// </summary>
    public IReadOnlyList<JsonObject> Citations { get; private init; } = [];

    /// <summary>A text block.</summary>
    public static FakeBlock TextBlock(string text) => new("text") { Text = text };

    /// <summary>A text block backed by citations.</summary>
    public static FakeBlock CitedTextBlock(string text, params JsonObject[] citations) => new("text") { Text = text, Citations = citations };

    /// <summary>A <c>char_location</c> citation of a plain-text document.</summary>
    public static JsonObject CharLocation(string citedText, int documentIndex, string? documentTitle, int start, int end) => new()
    {
        ["type"] = "char_location",
        ["cited_text"] = citedText,
        ["document_index"] = documentIndex,
        ["document_title"] = documentTitle,
        ["start_char_index"] = start,
        ["end_char_index"] = end,
    };

    /// <summary>A <c>page_location</c> citation of a PDF (pages 1-based, end exclusive).</summary>
    public static JsonObject PageLocation(string citedText, int documentIndex, string? documentTitle, int startPage, int endPage) => new()
    {
        ["type"] = "page_location",
        ["cited_text"] = citedText,
        ["document_index"] = documentIndex,
        ["document_title"] = documentTitle,
        ["start_page_number"] = startPage,
        ["end_page_number"] = endPage,
    };

    /// <summary>A thinking block with a signature.</summary>
    public static FakeBlock ThinkingBlock(string thinking) => new("thinking") { Text = thinking };

    /// <summary>A <c>server_tool_use</c> block: a tool the API itself runs (web search), streamed like a tool_use.</summary>
    public static FakeBlock ServerToolUseBlock(string id, string toolName, string inputJson) => new("server_tool_use") { ToolUseId = id, ToolName = toolName, InputJson = inputJson };

    /// <summary>A <c>web_search_tool_result</c> block with one <c>web_search_result</c> per link, sent whole in <c>content_block_start</c> as the API does.</summary>
    public static FakeBlock WebSearchResultBlock(string toolUseId, params (string Url, string Title)[] links) => new("web_search_tool_result")
    {
        ToolUseId = toolUseId,
        Whole = new JsonObject
        {
            ["type"] = "web_search_tool_result",
            ["tool_use_id"] = toolUseId,
            ["content"] = new JsonArray(links.Select(l => (JsonNode)new JsonObject
            {
                ["type"] = "web_search_result",
                ["url"] = l.Url,
                ["title"] = l.Title,
                ["encrypted_content"] = "ZW5jcnlwdGVk",
                ["page_age"] = null,
            }).ToArray()),
        },
    };

    /// <summary>A block sent whole (no deltas), or null for a streamed one.</summary>
    public JsonObject? Whole { get; private init; }

    /// <summary>A tool_use block.</summary>
    public static FakeBlock ToolUseBlock(string id, string toolName, string inputJson) => new("tool_use") { ToolUseId = id, ToolName = toolName, InputJson = inputJson };
}
