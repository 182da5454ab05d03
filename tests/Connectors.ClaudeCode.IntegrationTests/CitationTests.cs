// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;
using MEAI = Microsoft.Extensions.AI;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// An answer with citations, on the real CLI: the fake streams them as <c>citations_delta</c> events, the CLI forwards
/// those and puts the assembled <c>citations</c> on the text blocks of its assistant line.
/// </summary>
public sealed class CitationTests
{
    private static readonly ClaudeCodeCitation s_vacation = new("Employees get 25 days of paid vacation.", 1, "Handbook", "char_location", 0, 39) { AnswerStart = 8, AnswerEnd = 15 };
    private static readonly ClaudeCodeCitation s_report = new("Revenue grew.", 0, "Report", "page_location", 2, 3) { AnswerStart = 21, AnswerEnd = 33 };

    private static FakeResponse CitedAnswer() => new()
    {
        Blocks =
        {
            FakeBlock.TextBlock("You get "),
            FakeBlock.CitedTextBlock("25 days", FakeBlock.CharLocation(s_vacation.CitedText, 1, "Handbook", 0, 39)),
            FakeBlock.TextBlock(", and "),
            FakeBlock.CitedTextBlock("revenue grew", FakeBlock.PageLocation(s_report.CitedText, 0, "Report", 2, 3)),
            FakeBlock.TextBlock("."),
        },
    };

    private const string AnswerText = "You get 25 days, and revenue grew.";

    private static ChatHistory Question()
    {
        var history = new ChatHistory();
        history.AddUserMessage(
        [
            new BinaryContent(DocumentTests.Pdf, "application/pdf") { Metadata = new Dictionary<string, object?> { ["title"] = "Report" } },
            new BinaryContent(Encoding.UTF8.GetBytes(DocumentTests.Handbook), "text/plain") { Metadata = new Dictionary<string, object?> { ["title"] = "Handbook" } },
            new TextContent("Vacation days, and revenue?"),
        ]);
        return history;
    }

    private static MEAI.ChatMessage MeaiQuestion() => new(MEAI.ChatRole.User,
    [
        new MEAI.DataContent(DocumentTests.Pdf, "application/pdf") { Name = "Report" },
        new MEAI.DataContent(Encoding.UTF8.GetBytes(DocumentTests.Handbook), "text/plain") { Name = "Handbook" },
        new MEAI.TextContent("Vacation days, and revenue?"),
    ]);

    private static MEAI.ChatOptions WithCitations() => new() { AdditionalProperties = new() { ["citations"] = true } };

    [Fact]
    public async Task TheAnswersCitationsAreInTheMessageMetadataWithTheSpansTheyBackAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        env.Api.Enqueue(CitedAnswer());

        var message = await service.GetChatMessageContentAsync(Question(), new ClaudeCodePromptExecutionSettings { Citations = true });

        Assert.Equal(AnswerText, message.Content);
        var citations = Assert.IsAssignableFrom<IReadOnlyList<ClaudeCodeCitation>>(message.Metadata![ClaudeCodeMetadataKeys.Citations]);
        Assert.Equal([s_vacation, s_report], citations.ToArray());
        Assert.Equal("25 days", message.Content![s_vacation.AnswerStart!.Value..s_vacation.AnswerEnd!.Value]);
        Assert.All(DocumentTests.Documents(Assert.Single(env.Api.MessageRequests).Messages[^1]), d => Assert.True(d["citations"]!["enabled"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task StreamedCitationsArriveOnTheChunkAfterTheirTextAndAllOnTheLastChunkAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        env.Api.Enqueue(CitedAnswer());

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Question(), new ClaudeCodePromptExecutionSettings { Citations = true }))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(AnswerText, string.Concat(chunks.Select(c => c.Content)));
        var cited = chunks.Select((c, i) => (Chunk: c, Index: i))
            .Where(x => x.Chunk.Metadata?.ContainsKey(ClaudeCodeMetadataKeys.Citations) == true && x.Index < chunks.Count - 1)
            .ToList();
        Assert.Equal(2, cited.Count);
        Assert.Equal(s_vacation with { AnswerStart = null, AnswerEnd = null }, Assert.Single((IEnumerable<ClaudeCodeCitation>)cited[0].Chunk.Metadata![ClaudeCodeMetadataKeys.Citations]!));
        Assert.Equal(s_report with { AnswerStart = null, AnswerEnd = null }, Assert.Single((IEnumerable<ClaudeCodeCitation>)cited[1].Chunk.Metadata![ClaudeCodeMetadataKeys.Citations]!));

        // Each citation comes once the text it backs has been streamed, before the text after it.
        Assert.EndsWith("25 days", string.Concat(chunks.Take(cited[0].Index).Select(c => c.Content)), StringComparison.Ordinal);
        Assert.EndsWith("revenue grew", string.Concat(chunks.Take(cited[1].Index).Select(c => c.Content)), StringComparison.Ordinal);
        Assert.Equal([s_vacation, s_report], ((IEnumerable<ClaudeCodeCitation>)chunks[^1].Metadata![ClaudeCodeMetadataKeys.Citations]!).ToArray());
    }

    [Fact]
    public async Task ACitedAnswerInTheHistoryStillContinuesItsLiveSessionAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        env.Api.Enqueue(CitedAnswer());
        var settings = new ClaudeCodePromptExecutionSettings { Citations = true };
        var history = Question();
        history.Add(await service.GetChatMessageContentAsync(history, settings));
        history.AddUserMessage("Thanks.");

        await service.GetChatMessageContentAsync(history, settings);

        // The CLI holds the answer with its citations, the caller's history its text: the same conversation.
        var requests = env.Api.MessageRequests;
        Assert.Equal(2, requests.Count);
        Assert.Single(requests.Select(r => r.CliSessionId).Distinct());
        Assert.Equal(AnswerText, RecordedRequest.TextOf(requests[1].Messages[1]));
        Assert.Equal("Thanks.", requests[1].LastUserText);
    }

    [Fact]
    public async Task TheChatClientReturnsCitationAnnotationsOnTheTextAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, env.CreateOptions());
        env.Api.Enqueue(CitedAnswer());

        var response = await client.GetResponseAsync([MeaiQuestion()], WithCitations());

        Assert.Equal(AnswerText, response.Text);
        var text = Assert.Single(response.Messages[0].Contents.OfType<MEAI.TextContent>());
        var annotations = text.Annotations!.Cast<MEAI.CitationAnnotation>().ToList();
        Assert.Equal(2, annotations.Count);
        AssertAnnotation(s_vacation, annotations[0], withRegion: true);
        AssertAnnotation(s_report, annotations[1], withRegion: true);
        var region = Assert.IsType<MEAI.TextSpanAnnotatedRegion>(Assert.Single(annotations[1].AnnotatedRegions!));
        Assert.Equal("revenue grew", response.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
    }

    [Fact]
    public async Task TheChatClientStreamsEachCitationAsAnAnnotationThatSurvivesCoalescingAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, env.CreateOptions());
        env.Api.Enqueue(CitedAnswer());

        var updates = new List<MEAI.ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([MeaiQuestion()], WithCitations()))
        {
            updates.Add(update);
        }

        var annotated = updates.SelectMany(u => u.Contents.OfType<MEAI.TextContent>()).Where(t => t.Annotations is { Count: > 0 }).ToList();
        Assert.Equal(2, annotated.Count);
        Assert.All(annotated, t => Assert.Equal(string.Empty, t.Text));
        AssertAnnotation(s_vacation, Assert.IsType<MEAI.CitationAnnotation>(Assert.Single(annotated[0].Annotations!)), withRegion: false);
        AssertAnnotation(s_report, Assert.IsType<MEAI.CitationAnnotation>(Assert.Single(annotated[1].Annotations!)), withRegion: false);

        var response = MEAI.ChatResponseExtensions.ToChatResponse(updates);
        Assert.Equal(AnswerText, response.Text);
        Assert.Equal(2, response.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).OfType<MEAI.CitationAnnotation>().Count());
    }

    private static void AssertAnnotation(ClaudeCodeCitation expected, MEAI.CitationAnnotation annotation, bool withRegion)
    {
        Assert.Equal(expected.DocumentTitle, annotation.Title);
        Assert.Equal(expected.CitedText, annotation.Snippet);
        Assert.Equal(expected.DocumentIndex, annotation.AdditionalProperties!["DocumentIndex"]);
        Assert.Equal(expected.LocationType, annotation.AdditionalProperties!["LocationType"]);
        Assert.Equal(expected.Start, annotation.AdditionalProperties!["Start"]);
        Assert.Equal(expected.End, annotation.AdditionalProperties!["End"]);
        if (withRegion)
        {
            var region = Assert.IsType<MEAI.TextSpanAnnotatedRegion>(Assert.Single(annotation.AnnotatedRegions!));
            Assert.Equal((expected.AnswerStart, expected.AnswerEnd), (region.StartIndex, region.EndIndex));
        }
        else
        {
            Assert.Null(annotation.AnnotatedRegions);
        }
    }
}
