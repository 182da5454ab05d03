// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Prompt caching: on by default (the CLI marks the request with <c>cache_control</c>), off with <see cref="ClaudeCodeOptions.DisablePromptCaching"/>.</summary>
public sealed class PromptCachingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisablePromptCachingRemovesEveryCacheControlMarkerAndUsageStillReportsCacheTokensAsync(bool disable)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.DisablePromptCaching = disable);
        env.Api.Enqueue(new FakeResponse { Blocks = { FakeBlock.TextBlock("ok") }, CacheReadInputTokens = 300, CacheCreationInputTokens = 40 });
        var history = new ChatHistory("You are terse.");
        history.AddUserMessage("Hi");
        history.AddAssistantMessage("Hello");
        history.AddUserMessage("Again");

        var message = await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        var markers = Markers(request.Body!);
        if (disable)
        {
            Assert.Empty(markers);
        }
        else
        {
            // On the system prompt and on the last user message's last block (observed on CLI 2.1.328).
            Assert.NotEmpty(markers);
            Assert.NotNull((request.Body!["system"] as JsonArray)?.OfType<JsonObject>().LastOrDefault()?["cache_control"]);
            Assert.NotNull((request.Messages[^1]["content"] as JsonArray)?.OfType<JsonObject>().Last()["cache_control"]);
        }

        // The API's cache counts are reported either way: caching off only means the API reports none.
        var usage = Assert.IsType<UsageDetails>(message.Metadata![ClaudeCodeMetadataKeys.Usage]);
        Assert.Equal(300, usage.AdditionalCounts!["CacheReadInputTokens"]);
        Assert.Equal(40, usage.AdditionalCounts!["CacheCreationInputTokens"]);
        Assert.Equal(100 + 300 + 40, usage.InputTokenCount);
    }

    /// <summary>Every <c>cache_control</c> object anywhere in the body.</summary>
    private static JsonObject[] Markers(JsonNode node)
        => node switch
        {
            JsonObject obj => [.. obj.Where(p => p.Key == "cache_control" && p.Value is JsonObject).Select(p => (JsonObject)p.Value!), .. obj.Where(p => p.Value is not null).SelectMany(p => Markers(p.Value!))],
            JsonArray array => [.. array.Where(n => n is not null).SelectMany(n => Markers(n!))],
            _ => [],
        };
}
