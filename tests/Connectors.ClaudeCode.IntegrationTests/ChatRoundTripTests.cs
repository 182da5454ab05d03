// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

public sealed class ChatRoundTripTests
{
    [Fact]
    public async Task NonStreamingReturnsTheAnswerWithMetadataAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Hello there");

        var message = await service.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: Hello there", message.Content);
        Assert.Equal(AuthorRole.Assistant, message.Role);
        Assert.Equal(CliTestEnvironment.TestModel, message.ModelId);
        var metadata = message.Metadata!;
        var usage = Assert.IsType<UsageDetails>(metadata[ClaudeCodeMetadataKeys.Usage]);
        Assert.Equal(100 + 22 + 11, usage.InputTokenCount);
        Assert.Equal(7, usage.OutputTokenCount);
        Assert.Equal(22, usage.CachedInputTokenCount);
        Assert.Equal(11, usage.AdditionalCounts!["CacheCreationInputTokens"]);
        Assert.Equal("stop", metadata[ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Equal("end_turn", metadata[ClaudeCodeMetadataKeys.StopReason]);
        Assert.Equal(1, metadata[ClaudeCodeMetadataKeys.NumTurns]);
        Assert.False(string.IsNullOrEmpty(metadata[ClaudeCodeMetadataKeys.SessionId] as string));
        Assert.True((double)metadata[ClaudeCodeMetadataKeys.CostUsd]! > 0);
        Assert.True((long)metadata[ClaudeCodeMetadataKeys.DurationMs]! >= 0);
        Assert.NotNull(metadata[ClaudeCodeMetadataKeys.DurationApiMs]);

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Equal(CliTestEnvironment.TestModel, request.Model);
        Assert.Equal("Hello there", request.LastUserText);
    }
}
