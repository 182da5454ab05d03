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

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// The API stream breaks mid-answer and the CLI retries or asks again without streaming: what a streaming caller
/// received must be the answer, or the stream ends with a typed error that says so.
/// </summary>
public sealed class StreamFaultTests
{
    private const string Answer = "tok0 tok1 tok2 tok3 tok4 tok5 tok6 tok7 tok8 tok9";

    private static FakeResponse Streamed(string text) => new() { Blocks = { FakeBlock.TextBlock(text) }, ChunkSize = 5 };

    private static async Task<(string Text, List<string> Chunks)> StreamAsync(ClaudeCodeChatCompletionService service)
    {
        var text = new StringBuilder();
        var chunks = new List<string>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "count") }))
        {
            if (!string.IsNullOrEmpty(chunk.Content))
            {
                chunks.Add(chunk.Content);
                text.Append(chunk.Content);
            }
        }

        return (text.ToString(), chunks);
    }

    public static TheoryData<string> Faults => ["cut", "overloaded event", "api error event"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AfterAFaultMidStreamTheStreamedTextIsTheAnswerAsync(string fault)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var broken = Streamed(Answer);
        switch (fault)
        {
            case "cut":
                broken.CutAfterDeltas = 3;
                break;
            case "overloaded event":
                (broken.ErrorEventAfterDeltas, broken.ErrorType, broken.ErrorMessage) = (3, "overloaded_error", "Overloaded");
                break;
            default:
                (broken.ErrorEventAfterDeltas, broken.ErrorType, broken.ErrorMessage) = (3, "api_error", "Internal error");
                break;
        }

        env.Api.Enqueue(broken);
        env.Api.Responder = _ => Streamed(Answer);
        var service = env.CreateService(configure: o => o.MaxRetries = 2);

        var (text, chunks) = await StreamAsync(service);

        Assert.Equal(Answer, text);
        Assert.True(env.Api.MessageRequests.Count >= 2, "the CLI asked again after the fault");
        Assert.NotEmpty(chunks);
    }

    [Fact]
    public async Task AnAnswerThatComesBackDifferentEndsTheStreamWithTheTextSoFarAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var broken = Streamed("alpha beta gamma");
        (broken.ErrorEventAfterDeltas, broken.ErrorType, broken.ErrorMessage) = (2, "overloaded_error", "Overloaded");
        env.Api.Enqueue(broken);
        env.Api.Responder = _ => Streamed("a different answer");
        var service = env.CreateService(configure: o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<ClaudeCodeStreamRestartedException>(() => StreamAsync(service));

        Assert.Equal("alpha beta", error.TextSoFar);

        // Without streaming the same faults give the final answer.
        env.Api.Enqueue(broken);
        var answer = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "count") });
        Assert.Equal("a different answer", answer.Content);
    }

    [Fact]
    public async Task AStreamWithoutMessageStopStillGivesTheWholeAnswerAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => new FakeResponse { Blocks = { FakeBlock.TextBlock(Answer) }, ChunkSize = 5, OmitMessageStop = true };
        var service = env.CreateService();

        var (text, _) = await StreamAsync(service);
        var whole = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "again") });

        Assert.Equal(Answer, text);
        Assert.Equal(Answer, whole.Content);
    }

    [Fact]
    public async Task AHugeAnswerArrivesWholeStreamedAndNotAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var huge = string.Concat(Enumerable.Range(0, 200_000).Select(i => (char)('a' + (i % 26)))) + " end";
        env.Api.Responder = _ => new FakeResponse { Blocks = { FakeBlock.TextBlock(huge) }, ChunkSize = 64 * 1024 };
        var service = env.CreateService();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (text, chunks) = await StreamAsync(service);
        var whole = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "again") });

        Assert.Equal(huge, text);
        Assert.True(chunks.Count > 1);
        Assert.Equal(huge, whole.Content);

        // Bounded, not a timing claim: a reader that buffered quadratically would take minutes here.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
