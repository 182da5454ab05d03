// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// Web search per request (the WebSearch setting, MEAI's HostedWebSearchTool) on the pinned CLI. Its WebSearch tool
/// runs a search as a nested Messages API request with the server-side web_search tool, which the fake answers with
/// server_tool_use and web_search_tool_result blocks: nothing leaves the machine.
/// </summary>
public sealed class WebSearchTests
{
    private const string Query = "rust release date";

    private static readonly (string Url, string Title)[] Links = [("https://example.test/rust", "Rust news"), ("https://example.test/blog", "A blog")];

    /// <summary>The nested search request is the one offering the API's own web_search tool.</summary>
    private static bool IsSearchRequest(RecordedRequest request)
        => (request.Body?["tools"] as JsonArray ?? []).OfType<JsonObject>().Any(t => t["type"]?.GetValue<string>() == "web_search_20250305");

    /// <summary>The model searches once with WebSearch, then answers with what the tool returned.</summary>
    private static FakeResponse SearchThenReport(RecordedRequest request)
    {
        if (IsSearchRequest(request))
        {
            return new FakeResponse
            {
                Blocks =
                {
                    FakeBlock.ServerToolUseBlock("srvtoolu_1", "web_search", $"{{\"query\":\"{Query}\"}}"),
                    FakeBlock.WebSearchResultBlock("srvtoolu_1", Links),
                    FakeBlock.TextBlock("Two pages found."),
                },
            };
        }

        return request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Searching.", ("toolu_ws", "WebSearch", $"{{\"query\":\"{Query}\"}}"))
            : FakeResponse.ReportToolResult(request);
    }

    private static ChatHistory Ask(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    private static ClaudeCodePromptExecutionSettings WithSearch() => new() { WebSearch = new ClaudeCodeWebSearch() };

    [Fact]
    public async Task ARequestWithWebSearchRunsTheSearchAndReportsQueryAndLinksAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = SearchThenReport;

        // No ToolPermission: the request itself asked for web search.
        var service = env.CreateService(configure: o => o.BareMode = ClaudeCodeBareMode.Never);

        var answer = await service.GetChatMessageContentAsync(Ask("When is the next Rust release?"), WithSearch());

        // Everything the CLI sent went to the fake Messages API, the search included.
        Assert.All(env.Api.Requests, r => Assert.Equal(("POST", "/v1/messages"), (r.Method, r.Path.Split('?')[0])));
        var requests = env.Api.MessageRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(["WebSearch"], requests[0].ToolNames.ToArray());
        var search = Assert.Single(requests, IsSearchRequest);
        Assert.Contains(Query, RecordedRequest.TextOf(search.Messages[0]), StringComparison.Ordinal);
        Assert.StartsWith("RESULT error=False", answer.Content, StringComparison.Ordinal);
        Assert.Contains("https://example.test/rust", answer.Content, StringComparison.Ordinal);

        var call = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<Microsoft.SemanticKernel.FunctionCallContent>>(answer.Metadata![ClaudeCodeMetadataKeys.BuiltInToolCalls]));
        Assert.Equal(("WebSearch", "toolu_ws", Query), (call.FunctionName, call.Id, call.Arguments!["query"]!.ToString()));
        Assert.Equal(true, call.Metadata!["Allowed"]);
        var result = (string)call.Metadata["Result"]!;
        Assert.Contains("https://example.test/rust", result, StringComparison.Ordinal);
        Assert.Contains("https://example.test/blog", result, StringComparison.Ordinal);

        // The query and the links, structured.
        Assert.Equal(Query, call.Metadata["Query"]);
        var links = Assert.IsAssignableFrom<IReadOnlyList<ClaudeCodeWebLink>>(call.Metadata["Links"]);
        Assert.Equal(Links.Select(l => (l.Url, l.Title)), links.Select(l => (l.Url.AbsoluteUri, l.Title)));
    }

    [Fact]
    public async Task StreamingShowsTheSearchAndItsLinksAsItemsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = SearchThenReport;
        var service = env.CreateService(configure: o => o.BareMode = ClaudeCodeBareMode.Never);

        var items = new List<StreamingClaudeCodeToolCallContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("Search."), WithSearch()))
        {
            items.AddRange(chunk.Items.OfType<StreamingClaudeCodeToolCallContent>());
        }

        Assert.Equal(2, items.Count);
        Assert.Equal(("WebSearch", Query), (items[0].Call.FunctionName, items[0].Call.Metadata!["Query"]));
        Assert.Null(items[0].Result);
        var links = Assert.IsAssignableFrom<IReadOnlyList<ClaudeCodeWebLink>>(items[1].Call.Metadata!["Links"]);
        Assert.Equal(Links.Select(l => l.Url), links.Select(l => l.Url.AbsoluteUri));
        Assert.Contains("https://example.test/rust", items[1].Result!.Result!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsWithAndWithoutWebSearchNeverShareTheToolAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.ToolNames.Contains("WebSearch") || IsSearchRequest(request)
            ? SearchThenReport(request)
            : FakeResponse.Text("plain");

        // Ready processes and live sessions on: neither may carry the tool into, or out of, a web-search request.
        var service = env.CreateService(configure: o =>
        {
            o.BareMode = ClaudeCodeBareMode.Never;
            o.WarmProcesses = 1;
            o.MaxLiveSessions = 4;
        });

        var plain = Ask("Hello.");
        Assert.Equal("plain", (await service.GetChatMessageContentAsync(plain)).Content);
        Assert.Empty(env.Api.MessageRequests[^1].ToolNames);

        // The same conversation goes on with web search: a process with the tool, not the plain one's live session.
        plain.AddAssistantMessage("plain");
        plain.AddUserMessage("Now search.");
        var searched = await service.GetChatMessageContentAsync(plain, WithSearch());
        Assert.StartsWith("RESULT error=False", searched.Content, StringComparison.Ordinal);
        Assert.Contains(env.Api.MessageRequests, IsSearchRequest);

        // And back without it: no WebSearch offered.
        plain.AddAssistantMessage(searched.Content!);
        plain.AddUserMessage("Thanks.");
        var count = env.Api.MessageRequests.Count;
        Assert.Equal("plain", (await service.GetChatMessageContentAsync(plain)).Content);
        var last = Assert.Single(env.Api.MessageRequests.Skip(count));
        Assert.DoesNotContain("WebSearch", last.ToolNames);

        // A fresh request without the setting has no tool either.
        count = env.Api.MessageRequests.Count;
        await service.GetChatMessageContentAsync(Ask("Other."));
        Assert.Empty(Assert.Single(env.Api.MessageRequests.Skip(count)).ToolNames);
    }

    [Fact]
    public async Task TheAppsDomainListsReplaceTheModelsInTheSearchThatRunsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => IsSearchRequest(request) || request.LastToolResults.Count > 0
            ? SearchThenReport(request)
            : FakeResponse.ToolCalls("Searching.", ("toolu_ws", "WebSearch", $"{{\"query\":\"{Query}\",\"blocked_domains\":[\"model.test\"]}}"));
        var seen = new List<string>();
        var service = env.CreateService(configure: o =>
        {
            o.BareMode = ClaudeCodeBareMode.Never;
            o.ToolPermission = (request, _) =>
            {
                lock (seen)
                {
                    seen.Add(request.Input.GetRawText());
                }

                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Allow());
            };
        });

        await service.GetChatMessageContentAsync(Ask("Search."), new ClaudeCodePromptExecutionSettings
        {
            WebSearch = new ClaudeCodeWebSearch { AllowedDomains = ["example.test"] },
        });

        // The callback sees, and the API's web_search tool gets, the app's list and not the model's.
        var tool = (JsonObject)((JsonArray)Assert.Single(env.Api.MessageRequests, IsSearchRequest).Body!["tools"]!)[0]!;
        Assert.Equal("[\"example.test\"]", tool["allowed_domains"]!.ToJsonString());
        Assert.Null(tool["blocked_domains"]);
        var input = Assert.Single(seen);
        Assert.Contains("example.test", input, StringComparison.Ordinal);
        Assert.DoesNotContain("model.test", input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedDomainsAreAddedToTheModelsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => IsSearchRequest(request) || request.LastToolResults.Count > 0
            ? SearchThenReport(request)
            : FakeResponse.ToolCalls("Searching.", ("toolu_ws", "WebSearch", $"{{\"query\":\"{Query}\",\"blocked_domains\":[\"model.test\"]}}"));
        var service = env.CreateService(configure: o => o.BareMode = ClaudeCodeBareMode.Never);

        await service.GetChatMessageContentAsync(Ask("Search."), new ClaudeCodePromptExecutionSettings
        {
            WebSearch = new ClaudeCodeWebSearch { BlockedDomains = ["spam.test"] },
        });

        var tool = (JsonObject)((JsonArray)Assert.Single(env.Api.MessageRequests, IsSearchRequest).Body!["tools"]!)[0]!;
        Assert.Equal("[\"model.test\",\"spam.test\"]", tool["blocked_domains"]!.ToJsonString());
    }

    [Fact]
    public async Task TheAppsToolPermissionDecidesWhenSetAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = SearchThenReport;
        var asked = new List<string>();
        var service = env.CreateService(configure: o =>
        {
            o.BareMode = ClaudeCodeBareMode.Never;
            o.ToolPermission = (request, _) =>
            {
                lock (asked)
                {
                    asked.Add(request.ToolName + ":" + request.Input.GetProperty("query").GetString());
                }

                return ValueTask.FromResult(ClaudeCodeToolPermissionResult.Deny("No searching today."));
            };
        });

        var answer = await service.GetChatMessageContentAsync(Ask("Search."), WithSearch());

        Assert.Equal(["WebSearch:" + Query], asked);
        Assert.Equal("RESULT error=True: No searching today.", answer.Content);
        Assert.DoesNotContain(env.Api.MessageRequests, IsSearchRequest);
    }

    [Fact]
    public async Task AHostedWebSearchToolSearchesAndTheCallerSeesQueryAndLinksAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = SearchThenReport;
        var options = env.CreateOptions();
        options.BareMode = ClaudeCodeBareMode.Never;
        using var client = new ClaudeCodeChatClient(CliTestEnvironment.TestModel, options);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Search.")], new ChatOptions { Tools = [new HostedWebSearchTool()] });

        Assert.Equal(["WebSearch"], env.Api.MessageRequests[0].ToolNames.ToArray());
        Assert.Contains(env.Api.MessageRequests, IsSearchRequest);
        // Already run by the CLI: MEAI's web search contents, with the query and the links, and no function call for a
        // loop to run again.
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Empty(contents.OfType<Microsoft.Extensions.AI.FunctionCallContent>());
        Assert.Equal([Query], Assert.Single(contents.OfType<WebSearchToolCallContent>()).Queries!);
        var pages = Assert.Single(contents.OfType<WebSearchToolResultContent>()).Outputs!.Cast<UriContent>().ToList();
        Assert.Equal(Links.Select(l => (l.Url, l.Title)), pages.Select(p => (p.Uri.AbsoluteUri, (string)p.AdditionalProperties!["title"]!)));
        var calls = Assert.IsAssignableFrom<IEnumerable<Microsoft.Extensions.AI.FunctionCallContent>>(response.AdditionalProperties![ClaudeCodeMetadataKeys.BuiltInToolCalls]);
        var call = Assert.Single(calls);
        Assert.True(call.InformationalOnly);
        Assert.Equal(("WebSearch", Query), (call.Name, call.Arguments!["query"]!.ToString()));
        Assert.Contains("https://example.test/blog", (string)call.AdditionalProperties!["Result"]!, StringComparison.Ordinal);
        Assert.StartsWith("RESULT error=False", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutomaticBareModeGivesWayForAWebSearchRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.ToolNames.Contains("WebSearch") || IsSearchRequest(request) ? SearchThenReport(request) : FakeResponse.Text("plain");

        // An API key: Auto runs the CLI bare, which would drop the WebSearch tool.
        var service = env.CreateService(configure: o => o.BareMode = ClaudeCodeBareMode.Auto);

        var searched = await service.GetChatMessageContentAsync(Ask("Search."), WithSearch());
        var plain = await service.GetChatMessageContentAsync(Ask("Hello."));

        Assert.StartsWith("RESULT error=False", searched.Content, StringComparison.Ordinal);
        Assert.Equal(["WebSearch"], env.Api.MessageRequests[0].ToolNames.ToArray());
        Assert.Equal("plain", plain.Content);
    }

    [Fact]
    public async Task BareModeRefusesWebSearchBeforeAnyRequestAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.BareMode = ClaudeCodeBareMode.Always);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => service.GetChatMessageContentAsync(Ask("Search."), WithSearch()));

        Assert.Contains("bare mode", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.MessageRequests);
    }
}
