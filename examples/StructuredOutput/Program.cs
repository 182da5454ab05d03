// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// StructuredOutput: a .NET record as the response format. Claude answers with JSON that fits the record's schema,
// which deserializes straight back into the record.
//
//   dotnet run --project examples/StructuredOutput              your Claude Code login when there is one, else offline
//   dotnet run --project examples/StructuredOutput -- --offline always against the bundled fake Messages API

using System;
using System.Linq;
using System.Text.Json;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.Examples.StructuredOutput;
using Connectors.ClaudeCode.FakeAnthropic;
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

    var history = new ChatHistory("You are a travel guide.");
    history.AddUserMessage("Give me a short profile of Lisbon.");

    // The record's type is the response format: the connector hands its JSON schema to the CLI (--json-schema).
    var settings = new ClaudeCodePromptExecutionSettings { ResponseFormat = typeof(CityProfile) };
    var answer = await chat.GetChatMessageContentAsync(history, settings, kernel);

    // The answer's text is the JSON; property names are the record's own, so default options read it back.
    Console.WriteLine();
    Console.WriteLine($"JSON: {answer.Content}");
    var profile = JsonSerializer.Deserialize<CityProfile>(answer.Content!)
        ?? throw new InvalidOperationException("Claude answered with a JSON null.");
    Console.WriteLine($"City: {profile.City}");
    Console.WriteLine($"Country: {profile.Country}");
    Console.WriteLine($"Population: {profile.Population:N0}");
    Console.WriteLine($"Landmarks: {string.Join(", ", profile.Landmarks)}");
    Console.WriteLine($"Best month to visit: {profile.BestMonthToVisit}");

    // The same value, already parsed, is in the metadata for code that works with JSON rather than a type.
    var structured = (JsonElement)answer.Metadata![ClaudeCodeMetadataKeys.StructuredOutput]!;
    Console.WriteLine($"-- metadata StructuredOutput has {structured.EnumerateObject().Count()} properties");
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

// Offline, the fake answers as Claude does under --json-schema: the CLI offers a StructuredOutput tool whose input
// schema is the record's, the model calls it with the answer, and the CLI ends the turn with that input as the result.
static FakeResponse OfflineAnswer(RecordedRequest request)
    => request.ToolNames.Contains("StructuredOutput")
        ? FakeResponse.ToolCalls(null, ("toolu_offline_profile", "StructuredOutput", """
            {"City":"Lisbon","Country":"Portugal","Population":545000,"Landmarks":["Belém Tower","Jerónimos Monastery","São Jorge Castle"],"BestMonthToVisit":"May"}
            """))
        : FakeResponse.Text("Lisbon is the sunny, hilly capital of Portugal.");
