// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;
using SK = Microsoft.SemanticKernel;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class ChatClientConversionsTests
{
    [Fact]
    public void DocumentsKeepTheirMediaTypeAndNameAsTitle()
    {
        var history = ChatClientConversions.ToChatHistory(
        [
            new ChatMessage(ChatRole.User,
            [
                new DataContent(new byte[] { 1 }, "application/pdf") { Name = "Report" },
                new UriContent(new Uri("https://example.com/a.pdf"), "application/pdf"),
                new DataContent(new byte[] { 2 }, "image/png"),
            ]),
        ]);

        var items = history[0].Items;
        var data = Assert.IsType<SK.BinaryContent>(items[0]);
        Assert.Equal(("application/pdf", "Report"), (data.MimeType, data.Metadata!["title"]));
        var uri = Assert.IsType<SK.BinaryContent>(items[1]);
        Assert.Equal(("application/pdf", new Uri("https://example.com/a.pdf")), (uri.MimeType, uri.Uri));
        Assert.IsType<SK.ImageContent>(items[2]);
    }

    [Fact]
    public void TheCitationsPropertyAsksForCitations()
    {
        Assert.True(ChatClientConversions.ToSettings(new ChatOptions { AdditionalProperties = new() { ["citations"] = true } }).Citations);
        Assert.Null(ChatClientConversions.ToSettings(new ChatOptions()).Citations);
    }

    [Fact]
    public void ACitationWithoutAnAnswerSpanHasNoRegion()
    {
        var annotation = ChatClientConversions.ToAnnotation(new ClaudeCodeCitation("cited", 2, null, "page_location", 1, 2));

        Assert.Null(annotation.AnnotatedRegions);
        Assert.Null(annotation.Title);
        Assert.Equal("cited", annotation.Snippet);
        Assert.Equal([2, "page_location", 1, 2], new[] { "DocumentIndex", "LocationType", "Start", "End" }.Select(k => annotation.AdditionalProperties![k]).ToArray());
    }
}
