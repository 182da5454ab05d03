// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Linq;
using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Cli;

public sealed class CliCitationTests
{
    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    [Fact]
    public void EachLocationKindReadsItsOwnStartAndEnd()
    {
        var block = Assert.IsType<CliTextBlock>(CliContentBlock.Parse(Json("""
            {"type":"text","text":"x","citations":[
              {"type":"char_location","cited_text":"a","document_index":0,"document_title":"T","start_char_index":3,"end_char_index":9},
              {"type":"page_location","cited_text":"b","document_index":1,"document_title":null,"start_page_number":2,"end_page_number":4},
              {"type":"content_block_location","cited_text":"c","document_index":2,"start_block_index":0,"end_block_index":1}]}
            """)));

        Assert.Equal(
            [("char_location", "a", 0, "T", 3, 9), ("page_location", "b", 1, null, 2, 4), ("content_block_location", "c", 2, null, 0, 1)],
            block.Citations.Select(c => (c.Type, c.CitedText, c.DocumentIndex, c.DocumentTitle, c.Start!.Value, c.End!.Value)).ToArray());
    }

    [Fact]
    public void ATextBlockWithoutCitationsHasNoneAndAnUnknownKindKeepsItsText()
    {
        Assert.Empty(Assert.IsType<CliTextBlock>(CliContentBlock.Parse(Json("""{"type":"text","text":"x"}"""))).Citations);
        Assert.Empty(Assert.IsType<CliTextBlock>(CliContentBlock.Parse(Json("""{"type":"text","text":"x","citations":null}"""))).Citations);

        var unknown = CliCitation.Parse(Json("""{"type":"web_search_result_location","cited_text":"w","url":"https://e.com"}"""))!;
        Assert.Equal(("web_search_result_location", "w", null, null), (unknown.Type, unknown.CitedText, unknown.Start, unknown.End));
        Assert.Null(CliCitation.Parse(Json("\"not an object\"")));
    }
}
