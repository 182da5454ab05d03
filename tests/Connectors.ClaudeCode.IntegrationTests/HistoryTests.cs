// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

public sealed class HistoryTests
{
    [Fact]
    public async Task MultiTurnHistoryReachesTheApiAsSeparateMessagesInOrderAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory("You are a terse assistant.");
        history.AddUserMessage("Hi, I am Zed.");
        history.AddAssistantMessage("Hello Zed.");
        history.AddUserMessage("I live in Paris.");
        history.AddAssistantMessage("Noted: Paris.");
        history.AddUserMessage("Where do I live?");

        var message = await service.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: Where do I live?", message.Content);
        var request = Assert.Single(env.Api.MessageRequests);
        var turns = request.Messages.Select(m => (Role: m["role"]!.GetValue<string>(), Text: RecordedRequest.TextOf(m))).ToList();
        Assert.Equal(
            new[] { ("user", "Hi, I am Zed."), ("assistant", "Hello Zed."), ("user", "I live in Paris."), ("assistant", "Noted: Paris."), ("user", "Where do I live?") },
            turns.ToArray());
        Assert.Contains("You are a terse assistant.", request.SystemText, StringComparison.Ordinal);
        Assert.DoesNotContain("Human:", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemAndDeveloperMessagesBecomeTheSystemPromptAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddSystemMessage("Rule one: be brief.");
        history.AddDeveloperMessage("- Rule two starts with a dash.");
        history.AddUserMessage("Go");

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Contains("Rule one: be brief.\n\n- Rule two starts with a dash.", request.SystemText, StringComparison.Ordinal);
        Assert.Equal(["user"], request.Messages.Select(m => m["role"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task ALongSystemPromptGoesThroughAFileAndArrivesWholeAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.SystemPromptFileThreshold = 100);
        var longPrompt = "Policy: " + string.Join(" ", Enumerable.Range(0, 3000).Select(i => "rule" + i)) + " END.";
        var history = new ChatHistory(longPrompt);
        history.AddUserMessage("Summarise the policy");

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Contains(longPrompt, request.SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesReachTheApiAsBase64ImageBlocksAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var history = new ChatHistory();
        history.AddUserMessage([new TextContent("What is in this picture?"), new ImageContent(png, "image/png")]);

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        var content = request.Messages[^1]["content"]!.AsArray();
        var image = content.Single(b => b!["type"]!.GetValue<string>() == "image")!;
        Assert.Equal("base64", image["source"]!["type"]!.GetValue<string>());
        Assert.Equal("image/png", image["source"]!["media_type"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(png), image["source"]!["data"]!.GetValue<string>());
        Assert.Contains(content, b => b!["type"]!.GetValue<string>() == "text" && b["text"]!.GetValue<string>() == "What is in this picture?");

        // The caller's two blocks and nothing else.
        Assert.Equal(["text", "image"], content.Select(b => b!["type"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task FunctionCallsAndResultsInHistoryReplayAsToolUseAndToolResultAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Paris?");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new TextContent("Checking."), new FunctionCallContent("GetWeather", "Weather", "toolu_hist1", new KernelArguments { ["city"] = "Paris" })]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("GetWeather", "Weather", "toolu_hist1", "sunny, 21C")]));
        history.AddAssistantMessage("It is sunny.");
        history.AddUserMessage("Thanks. Summarise.");

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        var roles = request.Messages.Select(m => m["role"]!.GetValue<string>()).ToArray();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], roles);
        var toolUse = request.Messages[1]["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("toolu_hist1", toolUse["id"]!.GetValue<string>());
        Assert.Equal("mcp__kernel__Weather-GetWeather", toolUse["name"]!.GetValue<string>());
        Assert.Equal("Paris", toolUse["input"]!["city"]!.GetValue<string>());
        var toolResult = request.Messages[2]["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_result")!;
        Assert.Equal("toolu_hist1", toolResult["tool_use_id"]!.GetValue<string>());
        Assert.Contains("sunny, 21C", toolResult["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHistoryEndingWithTheAssistantIsRefusedBeforeAnyProcessStartsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Hi");
        history.AddAssistantMessage("Hello");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("ends with an assistant message", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }
}
