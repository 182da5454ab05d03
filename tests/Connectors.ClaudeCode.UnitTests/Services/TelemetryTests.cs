// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

public sealed class TelemetryTests
{
    private static ClaudeCodeChatCompletionService Service(ScriptedCliConnection connection, string model)
        => new(model, new ClaudeCodeOptions { CliPath = Environment.ProcessPath }, loggerFactory: null, new ScriptedConnectionFactory(connection));

    private static ScriptedCliConnection Answering(params string[] lines)
    {
        var connection = new ScriptedCliConnection();
        connection.OnSend = (c, line) =>
        {
            if (line["type"]?.GetValue<string>() == "user")
            {
                foreach (var l in lines)
                {
                    c.Emit(l);
                }
            }
        };
        return connection;
    }

    /// <summary>Collects the finished activities of one model (tests run in parallel and share the source).</summary>
    private static ActivityListener ListenFor(string model, ConcurrentBag<Activity> activities)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClaudeCodeTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem("gen_ai.request.model") == model)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    [Fact]
    public async Task ACallIsTracedWithGenAiTagsAndCountsTokens()
    {
        var model = "claude-telemetry-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentBag<Activity>();
        using var listener = ListenFor(model, activities);
        var prompt = 0L;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClaudeCodeTelemetry.SourceName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name.EndsWith(".tokens.prompt", StringComparison.Ordinal) && tags.ToArray().Any(t => t.Key == "gen_ai.request.model" && (string?)t.Value == model))
            {
                System.Threading.Interlocked.Add(ref prompt, value);
            }
        });
        meters.Start();
        var service = Service(Answering(CliLines.AssistantText("hi"), CliLines.Success("hi").Replace("claude-sonnet-4-5", model, StringComparison.Ordinal)), model);
        var history = new ChatHistory();
        history.AddUserMessage("hello");

        await service.GetChatMessageContentAsync(history, new ClaudeCodePromptExecutionSettings { MaxTokens = 64 });

        var activity = Assert.Single(activities);
        Assert.Equal($"chat {model}", activity.DisplayName);
        Assert.Equal("chat", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(64, activity.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(133L, activity.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7L, activity.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(["stop"], (string[])activity.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(ActivityStatusCode.Unset, activity.Status);
        Assert.Equal(133, prompt);
    }

    [Fact]
    public async Task AFailedStreamingCallMarksItsActivityAsAnError()
    {
        var model = "claude-telemetry-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentBag<Activity>();
        using var listener = ListenFor(model, activities);
        var service = Service(Answering(CliLines.ErrorResult(529, "Overloaded")), model);
        var history = new ChatHistory();
        history.AddUserMessage("hello");

        await Assert.ThrowsAsync<ClaudeCodeApiException>(async () =>
        {
            await foreach (var _ in service.GetStreamingChatMessageContentsAsync(history))
            {
            }
        });

        var activity = Assert.Single(activities);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal(typeof(ClaudeCodeApiException).FullName, activity.GetTagItem("error.type"));
    }
}
