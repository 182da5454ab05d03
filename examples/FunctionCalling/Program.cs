// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// FunctionCalling: kernel functions as Claude's tools, invoked automatically through an SK filter, then the same
// question in manual mode, where the app runs the calls itself.
//
//   dotnet run --project examples/FunctionCalling              your Claude Code login when there is one, else offline
//   dotnet run --project examples/FunctionCalling -- --offline always against the bundled fake Messages API

using System;
using System.Collections.Generic;
using System.Linq;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.Examples.FunctionCalling;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

await using var backend = await ExampleBackend.StartAsync(args, OfflineAnswer);

try
{
    var builder = Kernel.CreateBuilder().AddClaudeCodeChatCompletion(backend.ModelId, backend.Configure);
    builder.Plugins.AddFromType<WeatherPlugin>("Weather");
    builder.Services.AddSingleton<IAutoFunctionInvocationFilter, ConsoleFunctionInvocationFilter>();
    var kernel = builder.Build();

    // The kernel's services own the connector: disposing them ends its CLI processes and removes its working folder.
    await using var kernelServices = kernel.Services as IAsyncDisposable;

    var chat = kernel.GetRequiredService<IChatCompletionService>();
    const string Question = "What is the weather like in Paris and in Lima right now? Use the weather tool for both.";

    // 1. Auto-invoke: the kernel runs the calls inside the turn, through the filter, and Claude answers with the results.
    Console.WriteLine();
    Console.WriteLine("== Auto-invoke");
    var autoHistory = new ChatHistory("You are a concise travel assistant.");
    autoHistory.AddUserMessage(Question);
    var auto = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    var autoAnswer = await chat.GetChatMessageContentAsync(autoHistory, auto, kernel);
    Console.WriteLine($"[answer] {autoAnswer.Content}");
    Console.WriteLine($"-- the history now holds {autoHistory.Count} messages: {string.Join(", ", autoHistory.Select(m => m.Role))}");

    // 2. Manual: the turn stops at Claude's calls; the app invokes them, adds the results and asks again.
    Console.WriteLine();
    Console.WriteLine("== Manual (autoInvoke: false)");
    var manualHistory = new ChatHistory("You are a concise travel assistant.");
    manualHistory.AddUserMessage(Question);
    var manual = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };
    var reply = await chat.GetChatMessageContentAsync(manualHistory, manual, kernel);
    while (FunctionCallContent.GetFunctionCalls(reply).ToList() is { Count: > 0 } calls)
    {
        Console.WriteLine($"[model] {reply.Content} (finish reason {reply.Metadata?[ClaudeCodeMetadataKeys.FinishReason]})");
        manualHistory.Add(reply);
        foreach (var call in calls)
        {
            Console.WriteLine($"[manual call] {call.PluginName}.{call.FunctionName}({FormatArguments(call.Arguments)}) id {call.Id}");
            var result = await call.InvokeAsync(kernel);
            Console.WriteLine($"[manual result] {result.Result}");
            manualHistory.Add(result.ToChatMessage());
        }

        reply = await chat.GetChatMessageContentAsync(manualHistory, manual, kernel);
    }

    Console.WriteLine($"[answer] {reply.Content}");
    return 0;
}
catch (ClaudeCodeException ex)
{
    Console.Error.WriteLine($"Claude Code failed: {ex.Message}");
    return 1;
}
catch (ClaudeCodeApiException ex)
{
    Console.Error.WriteLine($"The Messages API failed ({ex.StatusCode}): {ex.Message}");
    return 1;
}

static string FormatArguments(KernelArguments? arguments)
    => string.Join(", ", (arguments ?? []).Select(a => $"{a.Key}={a.Value}"));

// Offline, the fake plays Claude: with the weather tool offered and no results yet it calls the tool once per city
// the question names, in one message; with the results it answers from them.
static FakeResponse OfflineAnswer(RecordedRequest request)
{
    const string WeatherTool = "mcp__kernel__Weather-GetWeather";
    if (!request.ToolNames.Contains(WeatherTool))
    {
        return FakeResponse.Text("I have no weather tool here.");
    }

    if (request.LastToolResults.Count > 0)
    {
        var reports = request.LastToolResults.Select(RecordedRequest.ResultText);
        return FakeResponse.Text("Here is the weather: " + string.Join("; ", reports) + ".");
    }

    var calls = new List<(string Id, string Name, string InputJson)>();
    foreach (var city in new[] { "Paris", "Lima", "Oslo" }.Where(c => request.LastUserText.Contains(c, StringComparison.Ordinal)))
    {
        // Tool-use ids are unique within a conversation, as the real API's are: the turn's position and the city.
        calls.Add(($"toolu_offline_{request.Messages.Count}_{city.ToLowerInvariant()}", WeatherTool, $$"""{"city":"{{city}}"}"""));
    }

    return FakeResponse.ToolCalls("Let me check the weather for you.", calls.ToArray());
}
