// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class ChatHistoryConverterTests
{
    [Fact]
    public void AnEmptyHistoryIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert([]));
        Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert(null!));
    }

    [Fact]
    public void AHistoryOfOnlySystemMessagesIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert(new ChatHistory("just a system prompt")));
        Assert.Contains("no user message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemMessagesAnywhereJoinIntoTheSystemPromptAfterTheChatSystemPrompt()
    {
        var history = new ChatHistory("first");
        history.AddUserMessage("hi");
        history.AddSystemMessage("second");

        var (system, turns, prompt) = ChatHistoryConverter.Convert(history, "preamble");

        Assert.Equal("preamble\n\nfirst\n\nsecond", system);
        Assert.Empty(turns);
        Assert.False(prompt.IsAssistant);
    }

    [Fact]
    public void ResultsOfParallelCallsMergeIntoOneUserMessage()
    {
        var history = new ChatHistory();
        history.AddUserMessage("two cities");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("W", "P", "c1"), new FunctionCallContent("W", "P", "c2")]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("W", "P", "c1", "r1")]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("W", "P", "c2", "r2")]));

        var (_, turns, prompt) = ChatHistoryConverter.Convert(history);

        Assert.Equal(2, turns.Count);
        Assert.Equal(["c1", "c2"], prompt.Content.Select(b => b!["tool_use_id"]!.GetValue<string>()).ToArray());
        Assert.Equal(["r1", "r2"], prompt.Content.Select(b => b!["content"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public void NonStringFunctionResultsAreSentAsJson()
    {
        var history = new ChatHistory();
        history.AddUserMessage("q");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("F", null, "c1")]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("F", null, "c1", new { Temperature = 21, Sky = "clear" })]));

        var (_, _, prompt) = ChatHistoryConverter.Convert(history);

        Assert.Equal("""{"Temperature":21,"Sky":"clear"}""", prompt.Content[0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void AFunctionCallWithoutIdIsRefused()
    {
        var history = new ChatHistory();
        history.AddUserMessage("q");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("F", "P", id: null)]));
        history.AddUserMessage("next");

        var error = Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert(history));
        Assert.Contains("no Id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImageWithoutMimeTypeIsRefused()
    {
        var history = new ChatHistory();
        history.AddUserMessage([new ImageContent(new byte[] { 1, 2, 3 }, mimeType: null)]);

        Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert(history));
    }

    [Fact]
    public void AnImageUrlBecomesAUrlSource()
    {
        var history = new ChatHistory();
        history.AddUserMessage([new ImageContent(new Uri("https://example.com/cat.png"))]);

        var (_, _, prompt) = ChatHistoryConverter.Convert(history);

        Assert.Equal("url", prompt.Content[0]!["source"]!["type"]!.GetValue<string>());
        Assert.Equal("https://example.com/cat.png", prompt.Content[0]!["source"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void UnsupportedContentIsRefusedByName()
    {
        var history = new ChatHistory();
        history.AddUserMessage([new AudioContent(new byte[] { 1 }, "audio/wav")]);

        var error = Assert.Throws<NotSupportedException>(() => ChatHistoryConverter.Convert(history));
        Assert.Contains("AudioContent", error.Message, StringComparison.Ordinal);
        Assert.Contains("audio/wav", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/zip")]
    [InlineData("image/png")]
    [InlineData(null)]
    public void BinaryContentOtherThanAPdfOrTextDocumentIsRefusedNamingItsMediaType(string? mediaType)
    {
        // An image must come as ImageContent: as plain BinaryContent it is not a document.
        var history = new ChatHistory();
        history.AddUserMessage([new BinaryContent(new byte[] { 1 }, mediaType!)]);

        var error = Assert.Throws<NotSupportedException>(() => ChatHistoryConverter.Convert(history));
        Assert.Contains(mediaType ?? "(none)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentsBecomeDocumentBlocksWithCitationsOnlyWhenAskedFor()
    {
        var history = new ChatHistory();
        history.AddUserMessage(
        [
            new BinaryContent(new byte[] { 0x25, 0x50 }, "Application/PDF"),
            new BinaryContent(System.Text.Encoding.UTF8.GetBytes("héllo"), "text/plain; charset=utf-8") { Metadata = new System.Collections.Generic.Dictionary<string, object?> { ["title"] = "Greeting" } },
            new BinaryContent(new Uri("https://example.com/a.pdf")) { MimeType = "application/pdf" },
        ]);

        var plain = ChatHistoryConverter.Convert(history).Prompt.Content;
        var cited = ChatHistoryConverter.Convert(history, citations: true).Prompt.Content;

        Assert.Equal("""{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVA="}}""", plain[0]!.ToJsonString());
        Assert.Equal("""{"type":"document","source":{"type":"text","media_type":"text/plain","data":"héllo"},"title":"Greeting"}""", plain[1]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("""{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}""", plain[2]!.ToJsonString());
        Assert.All(cited, block => Assert.True(block!["citations"]!["enabled"]!.GetValue<bool>()));
    }

    [Fact]
    public void ATextDocumentByUrlAndADocumentWithoutDataOrUrlAreRefused()
    {
        var byUrl = new ChatHistory();
        byUrl.AddUserMessage([new BinaryContent(new Uri("https://example.com/a.txt")) { MimeType = "text/plain" }]);
        var empty = new ChatHistory();
        empty.AddUserMessage([new BinaryContent(new Uri("file:///tmp/a.pdf")) { MimeType = "application/pdf" }]);

        Assert.Contains("text/plain", Assert.Throws<NotSupportedException>(() => ChatHistoryConverter.Convert(byUrl)).Message, StringComparison.Ordinal);
        Assert.Contains("neither data nor an http(s) URI", Assert.Throws<ArgumentException>(() => ChatHistoryConverter.Convert(empty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThinkingInAnAssistantTurnIsNotReplayed()
    {
        var history = new ChatHistory();
        history.AddUserMessage("q");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new ReasoningContent("secret thoughts"), new TextContent("answer")]));
        history.AddUserMessage("q2");

        var (_, turns, _) = ChatHistoryConverter.Convert(history);

        var assistant = turns[1];
        Assert.True(assistant.IsAssistant);
        Assert.Equal("answer", Assert.Single(assistant.Content)!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ToolNamesRoundTripAndForbiddenCharactersAreReplaced()
    {
        Assert.Equal("mcp__kernel__Weather-GetForecast", ToolNaming.ModelToolName("Weather", "GetForecast"));
        Assert.Equal(("Weather", "GetForecast"), ToolNaming.Parse("mcp__kernel__Weather-GetForecast"));
        Assert.Equal((null, "Now"), ToolNaming.Parse("mcp__kernel__Now"));
        Assert.Equal("my_plugin_v1-get_it", ToolNaming.ToolName("my plugin.v1", "get it"));
    }
}
