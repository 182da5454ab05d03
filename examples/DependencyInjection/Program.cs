// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// DependencyInjection: a hosted console app that registers the connector in the host's container, with console
// logging, and OpenTelemetry traces and metrics of every call written to the console.
//
//   dotnet run --project examples/DependencyInjection              your Claude Code login when there is one, else offline
//   dotnet run --project examples/DependencyInjection -- --offline always against the bundled fake Messages API

using System;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.Examples.DependencyInjection;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

await using var backend = await ExampleBackend.StartAsync(args, OfflineAnswer);

// The example's own flags are not configuration: the host gets no command-line arguments.
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
});

// The connector logs each call's usage at Information, its tool flow at Debug and the CLI's frames at Trace.
builder.Logging.AddFilter(ClaudeCodeTelemetry.SourceName, LogLevel.Information);

// The IChatCompletionService, and a Kernel that uses it. The container ends the CLI processes when the host stops.
builder.Services.AddClaudeCodeChatCompletion(backend.ModelId, backend.Configure);
builder.Services.AddKernel();

// Traces: one "chat {model}" activity per call with gen_ai.* tags, under SK's function activity for the prompt.
// Metrics: token counters and the call-duration histogram; the console exporter prints them when the host stops.
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("ClaudeCode.DependencyInjectionExample"))
    .WithTracing(tracing => tracing
        .AddSource(ClaudeCodeTelemetry.SourceName, "Microsoft.SemanticKernel*")
        .AddConsoleExporter())
    .WithMetrics(metrics => metrics
        .AddMeter(ClaudeCodeTelemetry.SourceName, "Microsoft.SemanticKernel*")
        .AddConsoleExporter());

builder.Services.AddHostedService<TravelQuestionsWorker>();

await builder.Build().RunAsync();
return Environment.ExitCode;

// Offline, the fake answers each of the worker's two questions.
static FakeResponse OfflineAnswer(RecordedRequest request)
{
    var answer = request.LastUserText.Contains("haiku", StringComparison.OrdinalIgnoreCase)
        ? FakeResponse.Text("Tiles warm in the sun,\ntrams climb the jacaranda hills,\nthe river breathes blue.")
        : FakeResponse.Text("Try a pastel de nata, still warm, dusted with cinnamon.");
    answer.OutputTokens = 24;
    return answer;
}
