// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Streaming: a live token stream with Claude's thinking shown apart from its answer, then the usage and cost the
// last chunk carries.
//
//   dotnet run --project examples/Streaming              your Claude Code login when there is one, else offline
//   dotnet run --project examples/Streaming -- --offline always against the bundled fake Messages API

using System;
using System.Linq;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using UsageDetails = Microsoft.Extensions.AI.UsageDetails;

await using var backend = await ExampleBackend.StartAsync(args, OfflineAnswer);

try
{
    var kernel = Kernel.CreateBuilder()
        .AddClaudeCodeChatCompletion(backend.ModelId, backend.Configure)
        .Build();

    // The kernel's services own the connector: disposing them ends its CLI processes and removes its working folder.
    await using var kernelServices = kernel.Services as IAsyncDisposable;
    var chat = kernel.GetRequiredService<IChatCompletionService>();

    var history = new ChatHistory("You are a patient teacher. Answer in one short paragraph.");
    history.AddUserMessage("Why does ice float on water?");

    // Thinking is off unless asked for; adaptive thinking lets the model decide how much it needs.
    var settings = new ClaudeCodePromptExecutionSettings { Thinking = ClaudeCodeThinking.Adaptive() };

    var thinkingChunks = 0;
    var textChunks = 0;
    var inThinking = false;
    StreamingChatMessageContent? last = null;
    Console.WriteLine();
    await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
    {
        // A thinking delta arrives as a StreamingReasoningContent item; the answer's text as Content.
        foreach (var reasoning in chunk.Items.OfType<StreamingReasoningContent>())
        {
            if (!inThinking)
            {
                Console.ForegroundColor = ConsoleColor.DarkGray;
                Console.Write("[thinking] ");
                inThinking = true;
            }

            Console.Write(reasoning.Text);
            thinkingChunks++;
        }

        if (!string.IsNullOrEmpty(chunk.Content))
        {
            if (inThinking)
            {
                Console.ResetColor();
                Console.WriteLine();
                Console.Write("[answer] ");
                inThinking = false;
            }

            Console.Write(chunk.Content);
            textChunks++;
        }

        last = chunk;
    }

    Console.ResetColor();
    Console.WriteLine();

    // Usage, cost and the finish reason arrive on the last chunk, once the CLI has its result.
    var metadata = last?.Metadata;
    var usage = metadata?[ClaudeCodeMetadataKeys.Usage] as UsageDetails;
    Console.WriteLine($"-- {thinkingChunks} thinking chunks, {textChunks} text chunks");
    Console.WriteLine($"-- usage: {usage?.InputTokenCount} input / {usage?.OutputTokenCount} output tokens, " +
        $"cost ${metadata?[ClaudeCodeMetadataKeys.CostUsd]:0.######}, {metadata?[ClaudeCodeMetadataKeys.DurationMs]} ms, " +
        $"finish reason {metadata?[ClaudeCodeMetadataKeys.FinishReason]}");
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

// Offline, the fake streams thinking then an answer in small pieces a few milliseconds apart, so the stream is seen
// arriving as Claude's does.
static FakeResponse OfflineAnswer(RecordedRequest request)
{
    var answer = FakeResponse.ThinkingThenText(
        "The question is about density. Water expands when it freezes: its molecules lock into a hexagonal lattice held by hydrogen bonds, which leaves more space between them than in the liquid.",
        "Ice floats because it is less dense than liquid water. When water freezes, hydrogen bonds hold its molecules in an open hexagonal lattice that takes about 9% more space, so a block of ice weighs less than the water it displaces and buoyancy pushes it up.");
    answer.ChunkSize = 3;
    answer.DelayBetweenEvents = TimeSpan.FromMilliseconds(4);
    answer.OutputTokens = 112;
    return answer;
}
