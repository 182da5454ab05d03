// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;
using MEAI = Microsoft.Extensions.AI;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>PDF and plain-text documents in the history, on the real CLI: they reach the API as <c>document</c> blocks.</summary>
public sealed class DocumentTests
{
    // A one-page PDF is not needed: the CLI forwards the block without reading it, and the fake does not either.
    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    internal const string Handbook = "Employees get 25 days of paid vacation. The office opens at 9.";

    [Fact]
    public async Task APdfAndATextDocumentReachTheApiAsDocumentBlocksAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage(
        [
            new BinaryContent(Pdf, "application/pdf"),
            new BinaryContent(Encoding.UTF8.GetBytes(Handbook), "text/plain; charset=utf-8") { Metadata = new Dictionary<string, object?> { ["title"] = "Handbook" } },
            new TextContent("How many vacation days?"),
        ]);

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        var documents = Documents(request.Messages[^1]);
        Assert.Equal(2, documents.Count);
        Assert.Equal(
            new JsonObject { ["type"] = "base64", ["media_type"] = "application/pdf", ["data"] = Convert.ToBase64String(Pdf) }.ToJsonString(),
            documents[0]["source"]!.ToJsonString());
        Assert.Equal(
            new JsonObject { ["type"] = "text", ["media_type"] = "text/plain", ["data"] = Handbook }.ToJsonString(),
            documents[1]["source"]!.ToJsonString());
        Assert.Equal("Handbook", documents[1]["title"]!.GetValue<string>());
        Assert.All(documents, d => Assert.Null(d["citations"]));
        Assert.Equal("How many vacation days?", request.LastUserText);
    }

    [Fact]
    public async Task CitationsAskedForAreEnabledOnEveryDocumentIncludingReplayedOnesAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage([new BinaryContent(new Uri("https://example.com/report.pdf")) { MimeType = "application/pdf" }, new TextContent("Read this.")]);
        history.AddAssistantMessage("Read.");
        history.AddUserMessage([new BinaryContent(Encoding.UTF8.GetBytes(Handbook), "text/plain"), new TextContent("And this: vacation days?")]);

        await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { Citations = true });

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Equal(["user", "assistant", "user"], request.Messages.Select(m => m["role"]!.GetValue<string>()).ToArray());
        var replayed = Assert.Single(Documents(request.Messages[0]));
        Assert.Equal(new JsonObject { ["type"] = "url", ["url"] = "https://example.com/report.pdf" }.ToJsonString(), replayed["source"]!.ToJsonString());
        var prompt = Assert.Single(Documents(request.Messages[2]));
        Assert.Equal("text", prompt["source"]!["type"]!.GetValue<string>());
        Assert.All([replayed, prompt], d => Assert.True(d["citations"]!["enabled"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task ALiveSessionHoldingADocumentIsContinuedAndTheDocumentStaysInTheConversationAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage([new BinaryContent(Encoding.UTF8.GetBytes(Handbook), "text/plain"), new TextContent("Vacation days?")]);
        var settings = new ClaudeCodePromptExecutionSettings { Citations = true };
        history.Add(await service.GetChatMessageContentAsync(history, settings));
        history.AddUserMessage("And the opening time?");

        await service.GetChatMessageContentAsync(history, settings);

        var requests = env.Api.MessageRequests;
        Assert.Equal(2, requests.Count);

        // One process: the second call sent only the new message to the live session.
        Assert.Single(requests.Select(r => r.CliSessionId).Distinct());
        var document = Assert.Single(Documents(requests[1].Messages[0]));
        Assert.Equal(Handbook, document["source"]!["data"]!.GetValue<string>());
        Assert.Equal("And the opening time?", requests[1].LastUserText);
    }

    [Fact]
    public async Task TheChatClientSendsDataAndUriContentDocumentsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, env.CreateOptions());
        var message = new MEAI.ChatMessage(MEAI.ChatRole.User,
        [
            new MEAI.DataContent(Pdf, "application/pdf") { Name = "Report" },
            new MEAI.UriContent(new Uri("https://example.com/a.pdf"), "application/pdf"),
            new MEAI.TextContent("Summarise."),
        ]);

        await client.GetResponseAsync([message], new MEAI.ChatOptions { AdditionalProperties = new() { ["citations"] = true } });

        var documents = Documents(Assert.Single(env.Api.MessageRequests).Messages[^1]);
        Assert.Equal(2, documents.Count);
        Assert.Equal(Convert.ToBase64String(Pdf), documents[0]["source"]!["data"]!.GetValue<string>());
        Assert.Equal("Report", documents[0]["title"]!.GetValue<string>());
        Assert.Equal("https://example.com/a.pdf", documents[1]["source"]!["url"]!.GetValue<string>());
        Assert.All(documents, d => Assert.True(d["citations"]!["enabled"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("audio/wav")]
    [InlineData("application/zip")]
    public async Task AnUnsupportedMediaTypeThrowsNamingItAndNothingReachesTheApiAsync(string mediaType)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: CliTestEnvironment.WithoutReadyProcesses);
        var content = mediaType.StartsWith("audio/", StringComparison.Ordinal) ? new AudioContent(new byte[] { 1, 2, 3 }, mediaType) : new BinaryContent(new byte[] { 1, 2, 3 }, mediaType);
        var history = new ChatHistory();
        history.AddUserMessage([content, new TextContent("What is this?")]);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains(mediaType, error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }

    [Fact]
    public async Task TheChatClientRefusesAnUnsupportedMediaTypeBeforeAnyRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, env.CreateOptions(), loggerFactory: null);
        var message = new MEAI.ChatMessage(MEAI.ChatRole.User, [new MEAI.DataContent(new byte[] { 1, 2 }, "application/zip"), new MEAI.TextContent("Unpack.")]);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([message]));

        Assert.Contains("application/zip", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }

    /// <summary>The <c>document</c> blocks of a message, in order.</summary>
    internal static List<JsonObject> Documents(JsonObject message)
        => (message["content"] as JsonArray ?? []).OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "document").ToList();
}
