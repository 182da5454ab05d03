// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

public sealed class StreamingTests
{
    [Fact]
    public async Task StreamsOneChunkPerTextDeltaInOrderWithMetadataOnTheLastAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        const string Answer = "The quick brown fox jumps over the lazy dog.";
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock(Answer) }, ChunkSize = 5 });
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Tell me about foxes");

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
        {
            chunks.Add(chunk);
        }

        var textChunks = chunks.Where(c => !string.IsNullOrEmpty(c.Content)).ToList();
        var expectedPieces = Enumerable.Range(0, (Answer.Length + 4) / 5).Select(i => Answer.Substring(i * 5, System.Math.Min(5, Answer.Length - (i * 5)))).ToList();
        Assert.Equal(expectedPieces, textChunks.Select(c => c.Content!).ToList());
        Assert.All(chunks, c => Assert.Equal(AuthorRole.Assistant, c.Role));

        var last = chunks[^1];
        Assert.True(string.IsNullOrEmpty(last.Content));
        var usage = Assert.IsType<UsageDetails>(last.Metadata![ClaudeCodeMetadataKeys.Usage]);
        Assert.Equal(133, usage.InputTokenCount);
        Assert.Equal("stop", last.Metadata[ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Equal(CliTestEnvironment.TestModel, last.ModelId);
        Assert.All(textChunks, c => Assert.Null(c.Metadata));
    }

    [Fact]
    public async Task StreamsThinkingAsReasoningBeforeTheTextAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.ThinkingBlock("Let me think step by step."), FakeBlock.TextBlock("Forty-two.") }, ChunkSize = 6 });
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("What is the answer?");

        var kinds = new List<string>();
        var thinking = string.Empty;
        var text = string.Empty;
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history))
        {
            foreach (var reasoning in chunk.Items.OfType<StreamingReasoningContent>())
            {
                thinking += reasoning.Text;
                kinds.Add("thinking");
            }

            if (!string.IsNullOrEmpty(chunk.Content))
            {
                text += chunk.Content;
                kinds.Add("text");
            }
        }

        Assert.Equal("Let me think step by step.", thinking);
        Assert.Equal("Forty-two.", text);
        Assert.True(kinds.Count(k => k == "thinking") > 1, "thinking should arrive as several deltas");
        Assert.Equal(kinds.OrderBy(k => k == "text" ? 1 : 0).ToList(), kinds);
    }

    [Fact]
    public async Task NonStreamingReturnsThinkingAsReasoningContentAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(FakeResponse.ThinkingThenText("Considering the options.", "Pick B."));
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("A or B?");

        var message = await service.GetChatMessageContentAsync(history);

        Assert.Equal("Pick B.", message.Content);
        var reasoning = Assert.Single(message.Items.OfType<ReasoningContent>());
        Assert.Equal("Considering the options.", reasoning.Text);
        Assert.IsType<ReasoningContent>(message.Items[0]);
    }
}
