// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// QuickStart: Claude through the Claude Code CLI as a Semantic Kernel chat completion service.
//
//   ./build.sh example              uses your Claude Code login when there is one, else runs offline
//   ./build.sh example --offline    always runs against the bundled fake Messages API
//   ./build.sh example --model opus picks a model for the logged-in run

using System;
using System.Linq;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.FakeAnthropic;
using UsageDetails = Microsoft.Extensions.AI.UsageDetails;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

await using var backend = await ExampleBackend.StartAsync(args, OfflineAnswer);

try
{
    var kernel = Kernel.CreateBuilder()
        .AddClaudeCodeChatCompletion(backend.ModelId, backend.Configure)
        .Build();

    // The kernel's services own the connector: disposing them ends its CLI processes and removes its working folder.
    await using var kernelServices = kernel.Services as IAsyncDisposable;
    var chat = kernel.GetRequiredService<IChatCompletionService>();

    // 1. A whole answer, with the metadata SK users look for.
    var history = new ChatHistory("You are a concise assistant. Answer in at most three short lines.");
    history.AddUserMessage("Write a haiku about a .NET app talking to Claude through a command-line tool.");
    var answer = await chat.GetChatMessageContentAsync(history);
    Console.WriteLine();
    foreach (var thinking in answer.Items.OfType<ReasoningContent>())
    {
        Console.WriteLine($"[thinking] {thinking.Text}");
    }

    Console.WriteLine(answer.Content);
    var usage = (UsageDetails?)answer.Metadata?[ClaudeCodeMetadataKeys.Usage];
    Console.WriteLine($"-- model {answer.ModelId}, {usage?.InputTokenCount} input / {usage?.OutputTokenCount} output tokens, " +
        $"cost ${answer.Metadata?[ClaudeCodeMetadataKeys.CostUsd]:0.######}, finish reason {answer.Metadata?[ClaudeCodeMetadataKeys.FinishReason]}");
    history.Add(answer);

    // 2. A follow-up, streamed token by token; the whole history reaches Claude as separate turns.
    history.AddUserMessage("Now explain your poem in one sentence.");
    Console.WriteLine();
    StreamingChatMessageContent? last = null;
    await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history))
    {
        Console.Write(chunk.Content);
        last = chunk;
    }

    Console.WriteLine();
    var streamedUsage = (UsageDetails?)last?.Metadata?[ClaudeCodeMetadataKeys.Usage];
    Console.WriteLine($"-- streamed; last chunk carries usage: {streamedUsage?.InputTokenCount} input / {streamedUsage?.OutputTokenCount} output tokens, session {last?.Metadata?[ClaudeCodeMetadataKeys.SessionId]}");

    // 3. A kernel function as a Claude tool, invoked automatically inside the turn.
    kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => DateTime.UtcNow.ToString("HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture), "Now", "Gets the current time in UTC")]);
    var toolHistory = new ChatHistory();
    toolHistory.AddUserMessage("What time is it in UTC? Use the clock tool.");
    var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    var timeAnswer = await chat.GetChatMessageContentAsync(toolHistory, settings, kernel);
    Console.WriteLine();
    foreach (var message in toolHistory.Skip(1))
    {
        foreach (var call in message.Items.OfType<FunctionCallContent>())
        {
            Console.WriteLine($"[function call] {call.PluginName}.{call.FunctionName} ({call.Id})");
        }

        foreach (var result in message.Items.OfType<FunctionResultContent>())
        {
            Console.WriteLine($"[function result] {result.Result}");
        }
    }

    Console.WriteLine(timeAnswer.Content);
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

// What the fake Messages API answers offline: a clock call when the clock is offered and not yet read, a haiku
// with thinking when asked for one, else an echo.
static FakeResponse OfflineAnswer(RecordedRequest request)
{
    if (request.ToolNames.Contains("mcp__kernel__Clock-Now"))
    {
        return request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls("Let me look at the clock.", ("toolu_offline_1", "mcp__kernel__Clock-Now", "{}"))
            : FakeResponse.Text("The clock says " + RecordedRequest.ResultText(request.LastToolResults[0]) + ".");
    }

    return request.LastUserText.Contains("haiku", StringComparison.OrdinalIgnoreCase)
        ? FakeResponse.ThinkingThenText("A haiku has three lines of five, seven and five syllables.", "Pipes carry the words,\nClaude answers through the CLI,\nthe kernel listens.")
        : FakeResponse.Text("Offline answer to: " + request.LastUserText);
}
