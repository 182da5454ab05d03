// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Agents: a Microsoft Agent Framework ChatClientAgent over ClaudeCodeChatClient, with a tool and a session that
// carries the conversation from one turn to the next.
//
//   dotnet run --project examples/Agents              your Claude Code login when there is one, else offline
//   dotnet run --project examples/Agents -- --offline always against the bundled fake Messages API

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.Examples.Agents;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

await using var backend = await ExampleBackend.StartAsync(args, OfflineAnswer);

var options = new ClaudeCodeOptions();
backend.Configure(options);
using var client = new ClaudeCodeChatClient(backend.ModelId, options);

try
{
    // The agent wraps the client with Microsoft.Extensions.AI's function invocation: when Claude calls a tool, the
    // agent runs it and sends the result back, until Claude answers.
    AIAgent agent = new ChatClientAgent(
        client,
        instructions: "You are a travel assistant. Check the forecast with your tool before giving advice. Be brief.",
        name: "TravelAgent",
        tools: [AIFunctionFactory.Create(TravelTools.GetForecast, "GetForecast")]);

    // A session holds the conversation: ClaudeCodeChatClient keeps it in a live CLI process under a conversation id,
    // so each turn sends only its new message.
    var session = await agent.CreateSessionAsync();

    Console.WriteLine();
    Console.WriteLine("[user] I'm flying to Kyoto next week. What weather should I expect?");
    var first = await agent.RunAsync("I'm flying to Kyoto next week. What weather should I expect?", session);
    foreach (var content in first.Messages.SelectMany(m => m.Contents))
    {
        switch (content)
        {
            case FunctionCallContent call:
                Console.WriteLine($"[tool call] {call.Name}({string.Join(", ", (call.Arguments ?? new Dictionary<string, object?>()).Select(a => $"{a.Key}={a.Value}"))})");
                break;
            case FunctionResultContent result:
                Console.WriteLine($"[tool result] {result.Result}");
                break;
        }
    }

    Console.WriteLine($"[{agent.Name}, turn 1] {first.Text}");

    // The second turn streams, and relies on the first: "it" and "that weather" only make sense with the session.
    Console.WriteLine();
    Console.WriteLine("[user] Given that weather, what should I pack?");
    Console.Write($"[{agent.Name}, turn 2] ");
    var updates = 0;
    await foreach (var update in agent.RunStreamingAsync("Given that weather, what should I pack?", session))
    {
        Console.Write(update.Text);
        updates++;
    }

    Console.WriteLine();
    Console.WriteLine($"-- turn 2 streamed in {updates} updates; session conversation id {(session as ChatClientAgentSession)?.ConversationId}");
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

// Offline, the fake plays Claude: asked about a trip with no forecast yet, it calls the tool; with the forecast it
// summarises it; asked what to pack, it answers from the forecast it finds earlier in the conversation it was sent,
// which is there only because the session carried the first turn.
static FakeResponse OfflineAnswer(RecordedRequest request)
{
    if (request.LastToolResults.Count > 0)
    {
        return FakeResponse.Text("The forecast says: " + RecordedRequest.ResultText(request.LastToolResults[0]) + ".");
    }

    if (request.LastUserText.Contains("pack", StringComparison.OrdinalIgnoreCase))
    {
        var earlierForecast = request.Messages
            .SelectMany(m => m["content"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(block => block["type"]?.GetValue<string>() == "tool_result")
            .Select(RecordedRequest.ResultText)
            .LastOrDefault();
        var answer = earlierForecast is null
            ? FakeResponse.Text("I don't know where you are going yet; tell me the city first.")
            : FakeResponse.Text($"The forecast was \"{earlierForecast}\", so pack a compact umbrella, a light waterproof jacket, layers for cool evenings and shoes that cope with wet streets.");
        answer.ChunkSize = 8;
        return answer;
    }

    const string ForecastTool = "mcp__kernel__GetForecast";
    return request.ToolNames.Contains(ForecastTool) && request.LastUserText.Contains("Kyoto", StringComparison.Ordinal)
        ? FakeResponse.ToolCalls("Let me check the forecast.", ("toolu_offline_forecast", ForecastTool, """{"city":"Kyoto"}"""))
        : FakeResponse.Text("Where are you going?");
}
