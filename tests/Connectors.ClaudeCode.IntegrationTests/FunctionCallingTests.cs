// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using UsageDetails = Microsoft.Extensions.AI.UsageDetails;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Kernel functions as Claude tools, with the real CLI calling back into the connector's MCP server.</summary>
public sealed class FunctionCallingTests
{
    private const string WeatherTool = "mcp__kernel__Weather-GetWeather";

    public sealed class WeatherPlugin
    {
        public ConcurrentQueue<string> Cities { get; } = new();

        [KernelFunction("GetWeather")]
        [Description("Gets the weather for a city")]
        public string GetWeather([Description("City name")] string city)
        {
            this.Cities.Enqueue(city);
            return $"Weather in {city}: sunny, 21C";
        }
    }

    private static (Kernel Kernel, WeatherPlugin Plugin) KernelWithWeather()
    {
        var plugin = new WeatherPlugin();
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugin, "Weather");
        return (kernel, plugin);
    }

    /// <summary>A kernel whose one function lets two calls meet, and a model that calls it twice in one message.</summary>
    private static (Kernel Kernel, GatePlugin Gate) KernelWithGate(CliTestEnvironment env)
    {
        env.Api.Responder = CallThenSummarise(("toolu_1", "mcp__kernel__Gate-Enter", "{}"), ("toolu_2", "mcp__kernel__Gate-Enter", "{}"));
        var gate = new GatePlugin(expected: 2);
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(gate, "Gate");
        return (kernel, gate);
    }

    /// <summary>Answers a request with tool calls when its last user message has no results yet, else with the results' text.</summary>
    private static Func<RecordedRequest, FakeResponse> CallThenSummarise(params (string Id, string Name, string Input)[] calls)
        => request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Let me check.", calls)
            : FakeResponse.Text("RESULTS: " + string.Join(" | ", request.LastToolResults.Select(RecordedRequest.ResultText)));

    private static ChatHistory Ask(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    [Fact]
    public async Task AutoInvokeRunsTheFunctionAndLeavesSkShapedHistoryAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_1", WeatherTool, """{"city":"Paris"}"""));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService();
        var history = Ask("Weather in Paris?");

        var answer = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("RESULTS: Weather in Paris: sunny, 21C", answer.Content);
        Assert.Equal(["Paris"], plugin.Cities.ToArray());

        // The tool reached the API as a plain tool with its schema, and no built-in tool came along.
        var first = env.Api.MessageRequests[0];
        Assert.Equal([WeatherTool], first.ToolNames.ToArray());
        var tool = first.Body!["tools"]![0]!;
        Assert.Equal("Gets the weather for a city", tool["description"]!.GetValue<string>());
        Assert.Equal("string", tool["input_schema"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("city", tool["input_schema"]!["required"]![0]!.GetValue<string>());

        // History: user, assistant with the call, one tool message with the result; the answer is returned, not added.
        Assert.Equal(3, history.Count);
        var call = Assert.Single(history[1].Items.OfType<FunctionCallContent>());
        Assert.Equal(("toolu_1", "Weather", "GetWeather", "Paris"), (call.Id, call.PluginName, call.FunctionName, call.Arguments!["city"]!.ToString()));
        Assert.Equal(CliTestEnvironment.TestModel, history[1].ModelId);
        Assert.Equal("Let me check.", history[1].Content);
        Assert.Equal(AuthorRole.Tool, history[2].Role);
        var result = Assert.Single(history[2].Items.OfType<FunctionResultContent>());
        Assert.Equal("toolu_1", result.CallId);
        Assert.Equal("Weather in Paris: sunny, 21C", result.Result);
        Assert.Equal(2, env.Api.MessageRequests.Count);
    }

    [Fact]
    public async Task FiltersSeeEveryContextFieldForParallelCallsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_a", WeatherTool, """{"city":"Paris"}"""), ("toolu_b", WeatherTool, """{"city":"Oslo"}"""));
        var (kernel, plugin) = KernelWithWeather();
        var filter = new RecordingFilter();
        kernel.AutoFunctionInvocationFilters.Add(filter);
        var service = env.CreateService();
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        using var cts = new CancellationTokenSource();

        var answer = await service.GetChatMessageContentAsync(Ask("Two cities"), settings, kernel, cts.Token);

        Assert.Equal("RESULTS: Weather in Paris: sunny, 21C | Weather in Oslo: sunny, 21C", answer.Content);
        Assert.Equal(2, filter.Contexts.Count);
        var (a, b) = (filter.Contexts.Single(c => c.ToolCallId == "toolu_a"), filter.Contexts.Single(c => c.ToolCallId == "toolu_b"));
        Assert.Equal((0, 2, 0), (a.FunctionSequenceIndex, a.FunctionCount, a.RequestSequenceIndex));
        Assert.Equal((1, 2, 0), (b.FunctionSequenceIndex, b.FunctionCount, b.RequestSequenceIndex));
        Assert.Equal("GetWeather", a.Function.Name);
        Assert.Equal("Paris", a.Arguments!["city"]);
        Assert.Equal(2, a.ChatMessageContent.Items.OfType<FunctionCallContent>().Count());
        Assert.Contains(a.ChatMessageContent, a.ChatHistory);
        Assert.False(a.IsStreaming);
        Assert.Same(settings, a.ExecutionSettings);
        Assert.True(a.CancellationToken.CanBeCanceled);
        Assert.Equal(["Paris", "Oslo"], plugin.Cities.ToArray());

        // Both results reached the API in one user message, tied to their calls.
        var resultIds = env.Api.MessageRequests[1].LastToolResults.Select(r => r["tool_use_id"]!.GetValue<string>()).ToArray();
        Assert.Equal(["toolu_a", "toolu_b"], resultIds);
    }

    [Fact]
    public async Task AFilterCanTerminateAndTheFunctionResultIsTheAnswerAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_t", WeatherTool, """{"city":"Rome"}"""));
        var (kernel, _) = KernelWithWeather();
        kernel.AutoFunctionInvocationFilters.Add(new TerminatingFilter());
        var service = env.CreateService();
        var history = Ask("Rome?");

        var answer = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal(AuthorRole.Tool, answer.Role);
        Assert.Equal("Weather in Rome: sunny, 21C", answer.Content);
        Assert.Same(history[^1], answer);
        Assert.Single(env.Api.MessageRequests);
    }

    [Fact]
    public async Task ConcurrentInvocationRunsTheCallsOfOneMessageTogetherAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var (kernel, gate) = KernelWithGate(env);
        var service = env.CreateService();
        var settings = new ClaudeCodePromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(options: new FunctionChoiceBehaviorOptions { AllowConcurrentInvocation = true }),
        };

        var answer = await service.GetChatMessageContentAsync(Ask("enter twice"), settings, kernel);

        // Each call waits until both are inside: that only finishes when they run at the same time.
        Assert.Equal("RESULTS: both inside | both inside", answer.Content);
    }

    [Fact]
    public async Task WithoutConcurrentInvocationCallsRunOneAfterAnotherAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var (kernel, gate) = KernelWithGate(env);
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("enter twice"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("RESULTS: alone | alone", answer.Content);
        Assert.Equal(1, gate.MaxInside);
    }

    [Fact]
    public async Task AFunctionThatThrowsIsReportedToTheModelWhichRecoversAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_x", "mcp__kernel__Broken-Explode", "{}"))
            : FakeResponse.Text("Recovered after: " + RecordedRequest.ResultText(request.LastToolResults[0]) + " error=" + request.LastToolResults[0]["is_error"]);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Broken", [KernelFunctionFactory.CreateFromMethod(() => { throw new InvalidOperationException("the reactor is offline"); }, "Explode")]);
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("explode"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("Recovered after: Error: Exception while invoking function. the reactor is offline error=true", answer.Content);
    }

    /// <summary>
    /// With live sessions the CLI waits on the returned calls and the results continue its own turn; without, the
    /// turn ends at the calls and the results go to a new process with the history replayed.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ManualModeStopsAtAllCallsOfTheMessageAndTheResultsGoBackAsToolResultsAsync(bool liveSessions)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_m1", WeatherTool, """{"city":"Paris"}"""), ("toolu_m2", WeatherTool, """{"city":"Lima"}"""));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService(configure: o => o.MaxLiveSessions = liveSessions ? 4 : 0);
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };
        var history = Ask("Paris and Lima?");

        var calls = await service.GetChatMessageContentAsync(history, settings, kernel);

        Assert.Single(history);
        Assert.Empty(plugin.Cities);
        Assert.Single(env.Api.MessageRequests);
        Assert.Equal("tool_calls", calls.Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        var functionCalls = calls.Items.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["toolu_m1", "toolu_m2"], functionCalls.Select(c => c.Id!).ToArray());
        Assert.All(functionCalls, c => Assert.Equal(("Weather", "GetWeather"), (c.PluginName, c.FunctionName)));
        Assert.Equal("Lima", functionCalls[1].Arguments!["city"]);
        Assert.Equal("Let me check.", calls.Content);

        history.Add(calls);
        foreach (var call in functionCalls)
        {
            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
        }

        var answer = await service.GetChatMessageContentAsync(history, settings, kernel);

        Assert.Equal("RESULTS: Weather in Paris: sunny, 21C | Weather in Lima: sunny, 21C", answer.Content);

        // Each call reports the cost and usage of its own API request, also when the first one's turn was held open in
        // a live session (the CLI then reports no result for it; its totals come from get_usage).
        foreach (var part in new[] { calls, answer })
        {
            Assert.True(Assert.IsType<double>(part.Metadata![ClaudeCodeMetadataKeys.CostUsd]) > 0);
            var model = JsonNode.Parse(Assert.IsType<string>(part.Metadata[ClaudeCodeMetadataKeys.ModelUsage]))![CliTestEnvironment.TestModel]!;
            Assert.Equal(100, model["inputTokens"]!.GetValue<long>());
        }

        var second = env.Api.MessageRequests[^1];
        Assert.Equal(["toolu_m1", "toolu_m2"], second.LastToolResults.Select(r => r["tool_use_id"]!.GetValue<string>()).ToArray());
        var replayedCalls = second.Messages[^2]["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "tool_use").Select(b => b!["id"]!.GetValue<string>());
        Assert.Equal(["toolu_m1", "toolu_m2"], replayedCalls.ToArray());
        Assert.Equal(["Weather in Paris: sunny, 21C", "Weather in Lima: sunny, 21C"], second.LastToolResults.Select(RecordedRequest.ResultText).ToArray());
        Assert.Equal(2, env.Api.MessageRequests.Count);
        Assert.Equal(liveSessions, env.Api.MessageRequests[0].CliSessionId == second.CliSessionId);
        Assert.Equal(
            [("user", "Paris and Lima?"), ("assistant", "Let me check."), ("user", string.Empty)],
            second.Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray());

        // The conversation goes on in the same process after the results.
        history.Add(answer);
        history.AddUserMessage("Thanks");
        env.Api.Responder = request => FakeResponse.Text("ECHO: " + request.LastUserText);
        Assert.Equal("ECHO: Thanks", (await service.GetChatMessageContentAsync(history, settings, kernel)).Content);
        Assert.Equal(liveSessions, second.CliSessionId == env.Api.MessageRequests[^1].CliSessionId);
    }

    [Fact]
    public async Task AHeldTurnCountsItsWholeResponseWhenTheStreamIsSlowAsync()
    {
        // The connector asks the CLI for its totals as soon as the response says it stops for tool use; the rest of
        // the stream (message_stop) comes 150 ms later. The held turn must still count that response's 50 tokens.
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request =>
        {
            if (request.LastToolResults.Count > 0)
            {
                return FakeResponse.Text("done");
            }

            var calls = FakeResponse.ToolCalls("Let me check.", ("toolu_s", "mcp__kernel__Now", "{}"));
            calls.DelayBetweenEvents = TimeSpan.FromMilliseconds(150);
            calls.OutputTokens = 50;
            return calls;
        };
        var now = KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now", "The time");
        var service = env.CreateService();
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto([now], autoInvoke: false) };
        var history = Ask("time?");

        var held = await service.GetChatMessageContentAsync(history, settings);
        history.Add(held);
        history.Add(new FunctionResultContent(held.Items.OfType<FunctionCallContent>().Single(), "12:00").ToChatMessage());
        var answer = await service.GetChatMessageContentAsync(history, settings);

        Assert.Equal("done", answer.Content);
        Assert.Single(env.Api.MessageRequests.Select(r => r.CliSessionId).Distinct());
        long OutputTokens(ChatMessageContent message)
            => JsonNode.Parse((string)message.Metadata![ClaudeCodeMetadataKeys.ModelUsage]!)![CliTestEnvironment.TestModel]!["outputTokens"]!.GetValue<long>();
        Assert.Equal(50, OutputTokens(held));
        Assert.Equal(7, OutputTokens(answer));
    }

    [Fact]
    public async Task ManualModeWorksWithoutAKernelForExplicitFunctionsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_k", "mcp__kernel__Now", "{}"));
        var now = KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now", "The time");
        var service = env.CreateService();

        var calls = await service.GetChatMessageContentAsync(Ask("time?"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto([now], autoInvoke: false) });

        var call = Assert.Single(calls.Items.OfType<FunctionCallContent>());
        Assert.Equal(("Now", null), (call.FunctionName, call.PluginName));
        Assert.Equal(["mcp__kernel__Now"], env.Api.MessageRequests[0].ToolNames.ToArray());
    }

    [Fact]
    public async Task AnExplicitFunctionListLimitsWhatIsOfferedAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var (kernel, _) = KernelWithWeather();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now")]);
        var service = env.CreateService();
        var only = kernel.Plugins.GetFunction("Clock", "Now");

        await service.GetChatMessageContentAsync(Ask("hi"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto([only]) }, kernel);

        Assert.Equal(["mcp__kernel__Clock-Now"], env.Api.MessageRequests[0].ToolNames.ToArray());
    }

    [Fact]
    public async Task NoneDescribesTheFunctionsButRefusesCallsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_n", WeatherTool, """{"city":"Paris"}"""))
            : FakeResponse.Text("Refused: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("weather?"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.None() }, kernel);

        Assert.Empty(plugin.Cities);
        Assert.StartsWith("Refused: Calling functions is not allowed", answer.Content, StringComparison.Ordinal);
        var first = env.Api.MessageRequests[0];
        Assert.Equal([WeatherTool], first.ToolNames.ToArray());
        Assert.Equal("none", first.Body!["tool_choice"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequiredForcesAToolCallOnTheFirstRequestOnlyAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_r", WeatherTool, """{"city":"Cairo"}"""));
        var (kernel, plugin) = KernelWithWeather();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "12:00", "Now")]);
        // Claude Code's own default thinking, to show that only the forced request turns it off.
        var service = env.CreateService(configure: o => o.DisableThinkingByDefault = false);
        var history = Ask("Cairo?");
        var required = FunctionChoiceBehavior.Required([kernel.Plugins.GetFunction("Weather", "GetWeather")]);

        var answer = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = required }, kernel);

        Assert.Equal("RESULTS: Weather in Cairo: sunny, 21C", answer.Content);
        Assert.Equal(["Cairo"], plugin.Cities.ToArray());
        var requests = env.Api.MessageRequests;
        Assert.Equal("any", requests[0].Body!["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal("disabled", requests[0].Body!["thinking"]!["type"]!.GetValue<string>());
        Assert.Null(requests[^1].Body!["tool_choice"]);
        Assert.NotEqual("disabled", requests[^1].Body!["thinking"]?["type"]?.GetValue<string>());
        Assert.All(requests, r => Assert.Equal([WeatherTool], r.ToolNames.ToArray()));
        Assert.Equal(3, history.Count);
    }

    [Fact]
    public async Task ParallelCallsCanBeDisallowedAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var (kernel, _) = KernelWithWeather();
        var service = env.CreateService();

        await service.GetChatMessageContentAsync(Ask("hi"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(options: new FunctionChoiceBehaviorOptions { AllowParallelCalls = false }) }, kernel);

        var choice = env.Api.MessageRequests[0].Body!["tool_choice"]!;
        Assert.Equal(("auto", true), (choice["type"]!.GetValue<string>(), choice["disable_parallel_tool_use"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task StreamingReportsEachCallWholeAndAutoInvokesAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_s1", WeatherTool, """{"city":"Paris"}"""), ("toolu_s2", WeatherTool, """{"city":"Oslo"}"""));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService();
        var history = Ask("Two cities, streamed");

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel))
        {
            chunks.Add(chunk);
        }

        var updates = chunks.SelectMany(c => c.Items.OfType<StreamingFunctionCallUpdateContent>()).ToList();
        Assert.Equal(["toolu_s1", "toolu_s2"], updates.Select(u => u.CallId!).ToArray());
        Assert.All(updates, u => Assert.Equal("Weather-GetWeather", u.Name));
        Assert.Equal("""{"city":"Oslo"}""", updates[1].Arguments);
        Assert.Equal([0, 1], updates.Select(u => u.FunctionCallIndex).ToArray());

        var builder = new FunctionCallContentBuilder();
        foreach (var chunk in chunks)
        {
            builder.Append(chunk);
        }

        var built = builder.Build();
        Assert.Equal(["Paris", "Oslo"], built.Select(c => c.Arguments!["city"]!.ToString()!).ToArray());
        Assert.All(built, c => Assert.Equal(("Weather", "GetWeather"), (c.PluginName, c.FunctionName)));

        var text = string.Concat(chunks.Select(c => c.Content));
        Assert.Equal("Let me check.RESULTS: Weather in Paris: sunny, 21C | Weather in Oslo: sunny, 21C", text);
        Assert.True(chunks.FindIndex(c => c.Items.OfType<StreamingFunctionCallUpdateContent>().Any()) < chunks.FindIndex(c => c.Content?.StartsWith("RES", StringComparison.Ordinal) == true));
        Assert.IsType<UsageDetails>(chunks[^1].Metadata![ClaudeCodeMetadataKeys.Usage]);
        Assert.Equal(["Paris", "Oslo"], plugin.Cities.ToArray());
        Assert.Equal(4, history.Count);
    }

    [Fact]
    public async Task StreamingManualModeEndsWithTheCallsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_sm", WeatherTool, """{"city":"Quito"}"""));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService();

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("Quito"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) }, kernel))
        {
            chunks.Add(chunk);
        }

        var update = Assert.Single(chunks.SelectMany(c => c.Items.OfType<StreamingFunctionCallUpdateContent>()));
        Assert.Equal("toolu_sm", update.CallId);
        Assert.Equal("tool_calls", chunks[^1].Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Empty(plugin.Cities);
    }

    [Fact]
    public async Task StreamingTerminateEndsWithTheFunctionResultAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_st", WeatherTool, """{"city":"Baku"}"""));
        var (kernel, _) = KernelWithWeather();
        kernel.AutoFunctionInvocationFilters.Add(new TerminatingFilter());
        var service = env.CreateService();

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(Ask("Baku"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(AuthorRole.Tool, chunks[^1].Role);
        Assert.Equal("Weather in Baku: sunny, 21C", chunks[^1].Content);
        Assert.Single(env.Api.MessageRequests);
    }

    [Fact]
    public async Task PromptFunctionsThroughTheKernelAutoInvokeAndPassTheirSettingsToFiltersAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_k1", WeatherTool, """{"city":"Lyon"}"""));
        var builder = Kernel.CreateBuilder().AddClaudeCodeChatCompletion(CliTestEnvironment.TestModel, o =>
        {
            var configured = env.CreateOptions();
            foreach (var (name, value) in configured.EnvironmentVariables)
            {
                o.EnvironmentVariables[name] = value;
            }

            o.CliPath = configured.CliPath;
            o.WorkingDirectory = configured.WorkingDirectory;
            o.MaxRetries = 0;
        });
        var kernel = builder.Build();
        env.Own((IAsyncDisposable)kernel.Services);
        var plugin = new WeatherPlugin();
        kernel.Plugins.AddFromObject(plugin, "Weather");
        var filter = new RecordingFilter();
        kernel.AutoFunctionInvocationFilters.Add(filter);
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), MaxTokens = 777 };

        var result = await kernel.InvokePromptAsync("What is the weather in Lyon?", new KernelArguments(settings));

        Assert.Equal("RESULTS: Weather in Lyon: sunny, 21C", result.ToString());
        var context = Assert.Single(filter.Contexts);
        Assert.Equal(777, ((ClaudeCodePromptExecutionSettings)context.ExecutionSettings!).MaxTokens);
        Assert.Equal(777, env.Api.MessageRequests[0].Body!["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task AutoInvokeWithoutAKernelFailsAsSkDoesBeforeAnyProcessStartsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();

        await Assert.ThrowsAsync<KernelException>(() => service.GetChatMessageContentAsync(Ask("hi"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Empty(env.Api.Requests);
    }

    [Fact]
    public async Task AProcessStartedAheadServesFunctionCallsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_w", WeatherTool, """{"city":"Kyiv"}"""));
        var (kernel, plugin) = KernelWithWeather();
        await using var service = env.CreateService(configure: o => o.WarmProcesses = 1);
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        await service.GetChatMessageContentAsync(Ask("Kyiv?"), settings, kernel);
        await service.WhenWarmProcessesStartedAsync();
        var answer = await service.GetChatMessageContentAsync(Ask("Kyiv?"), settings, kernel);

        Assert.Equal("RESULTS: Weather in Kyiv: sunny, 21C", answer.Content);
        Assert.Equal(["Kyiv", "Kyiv"], plugin.Cities.ToArray());
        Assert.Equal([WeatherTool], env.Api.MessageRequests[^2].ToolNames.ToArray());
    }

    [Fact]
    public async Task FunctionConversationsStartedAlikeGetAReadyProcessPreparedAheadWithTheSameRequestsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();

        // Calls whichever function the request offers, then answers with its result.
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Let me check.", ("toolu_w", request.ToolNames[0], """{"city":"Kyiv"}"""))
            : FakeResponse.Text("RESULTS: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        using var logs = new ListLoggerProvider();
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, env.CreateOptions(), logs.CreateFactory()));
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), Temperature = 0.25, MaxTokens = 300 };

        async Task<string[]> NewConversationAsync(Kernel kernel)
        {
            await service.WhenWarmProcessesStartedAsync();
            var before = env.Api.MessageRequests.Count;
            var history = new ChatHistory("Use the tools.");
            history.AddUserMessage("Kyiv?");
            var answer = await service.GetChatMessageContentAsync(history, settings, kernel);
            Assert.Equal("RESULTS: Weather in Kyiv: sunny, 21C", answer.Content);
            return [.. env.Api.MessageRequests.Skip(before).Select(WithoutMetadata)];
        }

        // The first starts a process of its own, the second takes a ready one given its settings when it came, the
        // third one given them while it waited: the API sees the same requests (tools, tool choice, sampling) from each.
        var (kernel, plugin) = KernelWithWeather();
        var first = await NewConversationAsync(kernel);
        var second = await NewConversationAsync(kernel);
        var third = await NewConversationAsync(kernel);

        // The process prepared ahead was not given the kernel server in its initialize: it would have asked for the
        // tool list before a call owned it, and the CLI gives that request up after 30 s, leaving no tools. The call
        // that took it added the server; each process asked for its tool list once, and none got an error answer.
        var prepared = PreparedProcessIds().Single();
        Assert.DoesNotContain(StdinOf(prepared), line => line.Contains("\"sdkMcpServers\"", StringComparison.Ordinal));
        Assert.Single(StdinOf(prepared), line => line.Contains("\"mcp_set_servers\"", StringComparison.Ordinal));
        Assert.All(ToolListRequests().GroupBy(pid => pid), perProcess => Assert.Single(perProcess));
        Assert.Equal(3, ToolListRequests().Count);
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Trace: CLI stdin", StringComparison.Ordinal) && m.Contains("\"subtype\":\"error\"", StringComparison.Ordinal));
        Assert.Equal(2, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Single(logs.Messages, m => m.Contains("its settings given ahead", StringComparison.Ordinal));
        Assert.Equal(["Kyiv", "Kyiv", "Kyiv"], plugin.Cities.ToArray());

        // Other functions with the same settings take the process prepared ahead too: the tool list is the call's own.
        var other = new Kernel();
        var forecast = new WeatherPlugin();
        other.Plugins.AddFromObject(forecast, "Forecast");
        var fourth = await NewConversationAsync(other);
        Assert.Equal(2, logs.Messages.Count(m => m.Contains("its settings given ahead", StringComparison.Ordinal)));
        Assert.Equal(["mcp__kernel__Forecast-GetWeather"], env.Api.MessageRequests[^2].ToolNames.ToArray());
        Assert.Equal(first[0].Replace("Weather-GetWeather", "Forecast-GetWeather", StringComparison.Ordinal), fourth[0]);
        Assert.Equal(["Kyiv"], forecast.Cities.ToArray());

        // The process (its id) of each tool list the CLIs asked for, from the wire trace.
        List<string> ToolListRequests() => [.. logs.Messages
            .Where(m => m.StartsWith("Trace: CLI stdout ", StringComparison.Ordinal) && m.Contains("\"method\":\"tools/list\"", StringComparison.Ordinal))
            .Select(m => m["Trace: CLI stdout ".Length..m.IndexOf(':', "Trace: CLI stdout ".Length)])];

        // The processes conversations took with their settings given ahead, and what a process was sent.
        List<string> PreparedProcessIds() => [.. logs.Messages
            .Where(m => m.Contains("its settings given ahead", StringComparison.Ordinal))
            .Select(m => m[(m.IndexOf("(pid ", StringComparison.Ordinal) + "(pid ".Length)..m.IndexOf(',', m.IndexOf("(pid ", StringComparison.Ordinal))])];
        List<string> StdinOf(string pid) => [.. logs.Messages.Where(m => m.StartsWith($"Trace: CLI stdin {pid}:", StringComparison.Ordinal))];

        // The session id differs per process; everything else must not.
        static string WithoutMetadata(RecordedRequest request)
        {
            var body = request.Body!.DeepClone().AsObject();
            body.Remove("metadata");
            return body.ToJsonString();
        }
    }

    [Fact]
    public async Task RecursionThroughFunctionsStopsAtTheNestingLimitAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.ToolNames.Count > 0 && request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ($"toolu_{Guid.NewGuid():N}", "mcp__kernel__Deep-Recurse", "{}"))
            : FakeResponse.Text(request.LastToolResults.Count == 0 ? "bottom" : "up from " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var service = env.CreateService(configure: o => o.MaximumNestedAutoInvokeDepth = 2);
        var kernel = new Kernel();
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        kernel.Plugins.AddFromFunctions("Deep", [KernelFunctionFactory.CreateFromMethod(
            async (Kernel k) => (await service.GetChatMessageContentAsync(Ask("again"), settings, k)).Content,
            "Recurse")]);

        var answer = await service.GetChatMessageContentAsync(Ask("start"), settings, kernel);

        Assert.Equal("up from up from bottom", answer.Content);
        Assert.Single(env.Api.MessageRequests, r => r.ToolNames.Count == 0);
        Assert.Equal(5, env.Api.MessageRequests.Count);
    }

    [Fact]
    public async Task AFiveRoundConversationRunsInOneCliProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request =>
        {
            var round = request.Messages.Count(m => m["role"]!.GetValue<string>() == "assistant");
            return round < 5
                ? FakeResponse.ToolCalls(null, ($"toolu_round{round}", WeatherTool, $$"""{"city":"City{{round}}"}"""))
                : FakeResponse.Text("done after " + round);
        };
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("tour"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("done after 5", answer.Content);
        Assert.Equal(5, plugin.Cities.Count);
        var sessions = env.Api.MessageRequests.Select(r => r.Headers["X-Claude-Code-Session-Id"]).Distinct().ToList();
        Assert.Equal(6, env.Api.MessageRequests.Count);
        Assert.Single(sessions);
    }

    [Fact]
    public async Task TheAutoInvokeLimitTellsTheModelToAnswerWithoutFunctionsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request =>
        {
            var round = request.Messages.Count(m => m["role"]!.GetValue<string>() == "assistant");
            return round < 2
                ? FakeResponse.ToolCalls(null, ($"toolu_l{round}", WeatherTool, """{"city":"Bern"}"""))
                : FakeResponse.Text("last result: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        };
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService(configure: o => o.MaximumAutoInvokeAttempts = 1);

        var answer = await service.GetChatMessageContentAsync(Ask("loop"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Single(plugin.Cities);
        Assert.Contains("limit of 1 rounds", answer.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHugeResultIsTruncatedWithANoteAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = CallThenSummarise(("toolu_h", "mcp__kernel__Big-Dump", "{}"));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Big", [KernelFunctionFactory.CreateFromMethod(() => new string('x', 5000), "Dump")]);
        var service = env.CreateService(configure: o => o.MaxFunctionResultLength = 100);

        await service.GetChatMessageContentAsync(Ask("dump"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        var sent = RecordedRequest.ResultText(env.Api.MessageRequests[1].LastToolResults[0]);
        Assert.StartsWith(new string('x', 100) + "\n[Result truncated: showing 100 of 5000 characters.]", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArgumentsThatDoNotFitTheSchemaReachTheModelAsAnErrorAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_v", "mcp__kernel__Math-Double", """{"value":"not a number"}"""))
            : FakeResponse.Text("saw: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Math", [KernelFunctionFactory.CreateFromMethod((int value) => value * 2, "Double")]);
        var service = env.CreateService();

        var answer = await service.GetChatMessageContentAsync(Ask("double it"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.StartsWith("saw: ", answer.Content, StringComparison.Ordinal);
        Assert.Contains("value", answer.Content, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("saw: 0", answer.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownToolNameFromTheModelIsAnsweredWithAnErrorAndDoesNotHangAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_u", "mcp__kernel__Nope-Missing", "{}"))
            : FakeResponse.Text("error was: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        var (kernel, plugin) = KernelWithWeather();
        var service = env.CreateService(configure: o => o.RequestTimeout = TimeSpan.FromSeconds(60));

        var answer = await service.GetChatMessageContentAsync(Ask("call something odd"), new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.StartsWith("error was: ", answer.Content, StringComparison.Ordinal);
        Assert.Empty(plugin.Cities);
    }

    [Fact]
    public async Task LongPluginAndFunctionNamesRoundTripAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        const string Plugin = "AVeryLongPluginNameThatGoesOnAndOnForAWhile";
        const string Function = "AndAnEvenLongerFunctionNameThatAlsoGoesOnForAWhile";
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions(Plugin, [KernelFunctionFactory.CreateFromMethod(() => "got it", Function)]);
        var service = env.CreateService();
        string? offered = null;
        env.Api.Responder = request =>
        {
            offered ??= request.ToolNames.Single();
            return request.LastToolResults.Count == 0
                ? FakeResponse.ToolCalls(null, ("toolu_p", offered, "{}"))
                : FakeResponse.Text("RESULTS: " + RecordedRequest.ResultText(request.LastToolResults[0]));
        };
        var history = Ask("long names");

        var answer = await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("RESULTS: got it", answer.Content);
        Assert.True(offered!.Length <= 64, $"tool name '{offered}' is {offered.Length} characters");
        var call = Assert.Single(history[1].Items.OfType<FunctionCallContent>());
        Assert.Equal((Plugin, Function), (call.PluginName, call.FunctionName));
    }

    [Fact]
    public async Task AResultWhoseCallIdMatchesNoCallIsRefusedBeforeAnyProcessStartsAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = Ask("q");
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("F", "P", "toolu_orphan", "r")]));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("toolu_orphan", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }

    private sealed class RecordingFilter : IAutoFunctionInvocationFilter
    {
        public ConcurrentBag<AutoFunctionInvocationContext> Contexts { get; } = [];

        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            this.Contexts.Add(context);
            await next(context);
        }
    }

    private sealed class TerminatingFilter : IAutoFunctionInvocationFilter
    {
        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            await next(context);
            context.Terminate = true;
        }
    }

    public sealed class GatePlugin(int expected)
    {
        private readonly TaskCompletionSource _allInside = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;
        private int _maxInside;

        public int MaxInside => this._maxInside;

        [KernelFunction("Enter")]
        public async Task<string> EnterAsync()
        {
            var inside = Interlocked.Increment(ref this._inside);
            InterlockedMax(ref this._maxInside, inside);
            if (inside == expected)
            {
                this._allInside.TrySetResult();
            }

            // Bounded wait: together the calls meet here; one by one each gives up and reports that it was alone.
            var met = await Task.WhenAny(this._allInside.Task, Task.Delay(TimeSpan.FromSeconds(1))) == this._allInside.Task;
            Interlocked.Decrement(ref this._inside);
            return met ? "both inside" : "alone";
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
