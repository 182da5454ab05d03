// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// The offline demo answers the notebooks run against, asked over HTTP without the CLI (the notebooks run them
/// through the CLI): each kind of request gets the kind of answer a model would give.
/// </summary>
public sealed class DemoResponderTests
{
    private const string WeatherTool = """{"name":"mcp__kernel__Weather-GetForecast","description":"Gets the weather forecast for a city","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1}},"required":["city"]}}""";
    private const string ClockTool = """{"name":"mcp__kernel__Clock-Now","description":"Gets the time","input_schema":{"type":"object","properties":{}}}""";

    [Fact]
    public async Task APlainQuestionIsRepeatedAndLaterTurnsNameTheFirstAsync()
    {
        var first = await AskAsync("""{"messages":[{"role":"user","content":"Why is the sky blue?"}]}""");
        var later = await AskAsync("""{"messages":[{"role":"user","content":"Hello there"},{"role":"assistant","content":"Hi"},{"role":"user","content":[{"type":"text","text":"And now?"}]}]}""");

        Assert.Equal(["text"], Types(first));
        Assert.Contains("“Why is the sky blue?”", Text(first), StringComparison.Ordinal);
        Assert.Contains("Offline demo answer", Text(first), StringComparison.Ordinal);
        Assert.Contains("2 user messages", Text(later), StringComparison.Ordinal);
        Assert.Contains("“Hello there”", Text(later), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThinkingComesBeforeTheTextWhenTheRequestAsksForItAsync()
    {
        var answer = await AskAsync("""{"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Think first"}]}""");
        var disabled = await AskAsync("""{"thinking":{"type":"disabled"},"messages":[{"role":"user","content":"Do not"}]}""");

        Assert.Equal(["thinking", "text"], Types(answer));
        Assert.Equal(["text"], Types(disabled));
    }

    [Fact]
    public async Task TheToolThatMatchesTheQuestionIsCalledWithArgumentsFromItsSchemaAsync()
    {
        var answer = await AskAsync($$"""{"tools":[{{ClockTool}},{{WeatherTool}}],"messages":[{"role":"user","content":"What is the weather forecast in Lisbon?"}]}""");

        var call = answer["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("tool_use", answer["stop_reason"]!.GetValue<string>());
        Assert.Equal("mcp__kernel__Weather-GetForecast", call["name"]!.GetValue<string>());
        Assert.Equal("Lisbon", call["input"]!["city"]!.GetValue<string>());
        Assert.Equal(3, call["input"]!["days"]!.GetValue<int>());
    }

    [Fact]
    public async Task AToolResultIsUsedInTheAnswerAndNoToolIsCalledAgainAsync()
    {
        var answer = await AskAsync($$$"""
            {"tools":[{{{WeatherTool}}}],"messages":[
              {"role":"user","content":"What is the weather forecast in Lisbon?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"mcp__kernel__Weather-GetForecast","input":{"city":"Lisbon"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"21 °C and sunny"}]}]}
            """);

        Assert.Equal(["text"], Types(answer));
        Assert.Contains("Weather-GetForecast returned “21 °C and sunny”", Text(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolChoiceNoneAndALaterUnrelatedQuestionGetTextAsync()
    {
        var none = await AskAsync($$"""{"tools":[{{WeatherTool}}],"tool_choice":{"type":"none"},"messages":[{"role":"user","content":"Weather in Oslo?"}]}""");
        var unrelated = await AskAsync($$"""{"tools":[{{WeatherTool}}],"messages":[{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","content":"Sunny"},{"role":"user","content":"Thanks, bye"}]}""");

        Assert.Equal(["text"], Types(none));
        Assert.Equal(["text"], Types(unrelated));
    }

    [Fact]
    public async Task AStructuredOutputRequestGetsJsonThatFitsTheSchemaAsync()
    {
        var schema = """{"type":"object","properties":{"Name":{"type":"string"},"Tags":{"type":"array","items":{"type":"string"}},"Size":{"$ref":"#/$defs/size"},"Score":{"type":["number","null"]}},"$defs":{"size":{"enum":["small","large"]}}}""";
        var answer = await AskAsync($$"""{"tools":[{"name":"StructuredOutput","input_schema":{{schema}}}],"messages":[{"role":"user","content":"Describe the city of Porto"}]}""");

        var call = Assert.Single(answer["content"]!.AsArray())!;
        Assert.Equal("StructuredOutput", call["name"]!.GetValue<string>());
        var input = call["input"]!;
        Assert.Equal("Porto", input["Name"]!.GetValue<string>());
        Assert.Single(input["Tags"]!.AsArray());
        Assert.Equal("small", input["Size"]!.GetValue<string>());
        Assert.Equal(2.5, input["Score"]!.GetValue<double>());
    }

    [Fact]
    public async Task AStreamedAnswerComesInSmallDeltasAsync()
    {
        await using var api = await FakeMessagesApi.StartAsync();
        api.Responder = new DemoResponder { ChunkSize = 3, DelayBetweenEvents = TimeSpan.FromMilliseconds(1) }.Respond;
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages", Json("""{"model":"m","stream":true,"messages":[{"role":"user","content":"Stream this"}]}"""));
        var body = await response.Content.ReadAsStringAsync();

        var deltas = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal) && l.Contains("text_delta", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l[6..])!["delta"]!["text"]!.GetValue<string>())
            .ToList();
        Assert.True(deltas.Count > 10);
        Assert.All(deltas, d => Assert.True(d.Length <= 3));
        Assert.StartsWith("Offline demo answer", string.Concat(deltas), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> AskAsync(string body)
    {
        await using var api = await FakeMessagesApi.StartAsync();
        api.Responder = new DemoResponder().Respond;
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        var request = JsonNode.Parse(body)!.AsObject();
        request["model"] = "claude-sonnet-4-5";
        using var response = await http.PostAsync("/v1/messages", Json(request.ToJsonString()));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string[] Types(JsonNode message) => message["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()).ToArray();

    private static string Text(JsonNode message) => string.Concat(message["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "text").Select(b => b!["text"]!.GetValue<string>()));
}
