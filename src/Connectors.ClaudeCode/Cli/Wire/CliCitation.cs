// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// One citation of a text block (an element of its <c>citations</c> array, or the <c>citation</c> of a
/// <c>citations_delta</c>): the cited passage and where it is in which document of the request.
/// </summary>
/// <param name="Type"><c>char_location</c>, <c>page_location</c>, <c>content_block_location</c>, or another kind as it came.</param>
/// <param name="CitedText">The cited passage.</param>
/// <param name="DocumentIndex">The document's position among the request's documents.</param>
/// <param name="DocumentTitle">The document's title, when it has one.</param>
/// <param name="Start">The start of the passage: a character index, a page number or a block index, by <paramref name="Type"/>.</param>
/// <param name="End">The end of the passage (exclusive), counted like <paramref name="Start"/>.</param>
/// <param name="Raw">The citation as it came.</param>
internal sealed record CliCitation(string Type, string CitedText, int DocumentIndex, string? DocumentTitle, int? Start, int? End, JsonElement Raw)
{
    /// <summary>The citations of a <c>citations</c> array; none when it is missing or not an array.</summary>
    public static IReadOnlyList<CliCitation> ParseAll(JsonElement? citations)
    {
        if (citations is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            return [];
        }

        var parsed = new List<CliCitation>(array.GetArrayLength());
        foreach (var citation in array.EnumerateArray())
        {
            if (Parse(citation) is { } one)
            {
                parsed.Add(one);
            }
        }

        return parsed;
    }

    /// <summary>One citation, or null when it is not an object.</summary>
    public static CliCitation? Parse(JsonElement citation)
    {
        if (citation.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = citation.GetStringOrNull("type") ?? string.Empty;
        var (startName, endName) = type switch
        {
            "page_location" => ("start_page_number", "end_page_number"),
            "content_block_location" => ("start_block_index", "end_block_index"),
            _ => ("start_char_index", "end_char_index"),
        };
        return new CliCitation(
            type,
            citation.GetStringOrNull("cited_text") ?? string.Empty,
            (int)(citation.GetInt64OrNull("document_index") ?? 0),
            citation.GetStringOrNull("document_title"),
            (int?)citation.GetInt64OrNull(startName),
            (int?)citation.GetInt64OrNull(endName),
            citation.Clone());
    }
}
