// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core.Sessions;

public sealed class ConversationTranscriptTests
{
    private static ConversationTranscript Of(ChatHistory history) => ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(history));

    private static IReadOnlyList<CliContentBlock> Blocks(string json) => CliContentBlock.ParseAll(JsonSerializer.Deserialize<JsonElement>(json));

    [Fact]
    public void TheModelsAnswerAsTheCliReportsItMatchesTheAnswerAsTheCallerStoresIt()
    {
        var before = new ChatHistory("system");
        before.AddUserMessage("hi");

        // Thinking first, text in two blocks: the caller's history keeps the joined text (thinking is never replayed).
        var live = Of(before).WithAssistant(Blocks("""[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"Hel"},{"type":"text","text":"lo."}]"""));
        var next = new ChatHistory("system");
        next.AddUserMessage("hi");
        next.Add(new ChatMessageContent(AuthorRole.Assistant, [new ReasoningContent("hm"), new TextContent("Hello.")]));
        next.AddUserMessage("more");

        Assert.True(live.IsStrictPrefixOf(Of(next)));
        Assert.Equal(live.FingerprintOf(2), Of(next).FingerprintOf(2));
    }

    [Fact]
    public void AnEditARetryOrTheSameLengthIsNotAContinuation()
    {
        var history = new ChatHistory();
        history.AddUserMessage("hi");
        var live = Of(history).WithAssistant(Blocks("""[{"type":"text","text":"Hello."}]"""));

        var edited = new ChatHistory();
        edited.AddUserMessage("hi");
        edited.AddAssistantMessage("Hello!");
        edited.AddUserMessage("more");
        Assert.False(live.IsStrictPrefixOf(Of(edited)));

        var retry = new ChatHistory();
        retry.AddUserMessage("hi");
        Assert.False(live.IsStrictPrefixOf(Of(retry)));

        var same = new ChatHistory();
        same.AddUserMessage("hi");
        same.AddAssistantMessage("Hello.");
        Assert.False(live.IsStrictPrefixOf(Of(same)));
    }

    [Fact]
    public void FunctionCallsAndResultsCompareByIdNameInputAndResultText()
    {
        var history = new ChatHistory();
        history.AddUserMessage("weather?");
        var call = new FunctionCallContent("Get", "Weather", "toolu_1", new KernelArguments { ["city"] = "Oslo" });
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [call]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent(call, "rain")]));
        var live = Of(history).WithAssistant(Blocks("""[{"type":"text","text":"Rain."}]"""));

        var same = new ChatHistory(history);
        same.AddAssistantMessage("Rain.");
        same.AddUserMessage("thanks");
        Assert.True(live.IsStrictPrefixOf(Of(same)));

        var otherResult = new ChatHistory();
        otherResult.AddUserMessage("weather?");
        otherResult.Add(new ChatMessageContent(AuthorRole.Assistant, [call]));
        otherResult.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent(call, "sun")]));
        otherResult.AddAssistantMessage("Rain.");
        otherResult.AddUserMessage("thanks");
        Assert.False(live.IsStrictPrefixOf(Of(otherResult)));
    }

    [Fact]
    public void EqualFingerprintsAreNotEnoughContentDecides()
    {
        var a = new ChatHistory();
        a.AddUserMessage("x");
        var b = new ChatHistory();
        b.AddUserMessage("y");
        b.AddUserMessage("z");

        // Whatever the hashes say, a different first message is never a prefix.
        Assert.False(Of(a).IsStrictPrefixOf(Of(b)));
        Assert.Single(Of(a).Messages);
        Assert.Equal(2, Of(b).Messages.Count);
        Assert.NotEqual(Of(a).FingerprintOf(1), Of(b).FingerprintOf(1));
    }

    [Fact]
    public void DocumentsCountInTheTranscriptWithTheirCitationsSwitch()
    {
        static ChatHistory WithDocument(string text)
        {
            var history = new ChatHistory();
            history.AddUserMessage([new BinaryContent(System.Text.Encoding.UTF8.GetBytes(text), "text/plain"), new TextContent("Summarise.")]);
            return history;
        }

        var held = ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(WithDocument("A")));
        var same = ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(WithDocument("A")));
        var other = ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(WithDocument("B")));
        var cited = ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(WithDocument("A"), citations: true));

        Assert.Equal(held.Messages, same.Messages);
        Assert.NotEqual(held.Messages, other.Messages);
        Assert.NotEqual(held.Messages, cited.Messages);
    }
}
