// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Traces and metrics of chat calls, following the OpenTelemetry GenAI conventions: an activity
/// <c>chat {model}</c> per call with <c>gen_ai.*</c> tags, token counters and a duration histogram.
/// </summary>
internal static class ClaudeCodeDiagnostics
{
    /// <summary>The name of the <see cref="ActivitySource"/> and <see cref="Meter"/>; subscribe to it to collect them.</summary>
    public const string SourceName = "Microsoft.SemanticKernel.Connectors.ClaudeCode";

    private static readonly ActivitySource s_activitySource = new(SourceName);
    private static readonly Meter s_meter = new(SourceName);

    private static readonly Counter<long> s_promptTokens = s_meter.CreateCounter<long>(
        "semantic_kernel.connectors.claude_code.tokens.prompt", unit: "{token}", description: "Input tokens, cache reads and writes included");

    private static readonly Counter<long> s_completionTokens = s_meter.CreateCounter<long>(
        "semantic_kernel.connectors.claude_code.tokens.completion", unit: "{token}", description: "Output tokens");

    private static readonly Counter<long> s_totalTokens = s_meter.CreateCounter<long>(
        "semantic_kernel.connectors.claude_code.tokens.total", unit: "{token}", description: "Input and output tokens");

#if NET9_0_OR_GREATER
    // In seconds, so the default buckets (0, 5, 10, 25, … for milliseconds) would put every call in the first few; these
    // are the ones the OpenTelemetry GenAI conventions advise for this histogram.
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration",
        unit: "s",
        description: "Duration of chat calls through the Claude Code CLI",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
#else
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration", unit: "s", description: "Duration of chat calls through the Claude Code CLI");
#endif

    /// <summary>Starts the activity of one chat call, or returns null when nobody listens.</summary>
    public static Activity? StartChat(string? modelId, ClaudeCodePromptExecutionSettings settings, bool streaming)
    {
        var activity = s_activitySource.StartActivity($"chat {modelId ?? "default"}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.system", "anthropic");
        activity.SetTag("gen_ai.provider.name", "anthropic");
        activity.SetTag("gen_ai.request.model", modelId);
        activity.SetTag("gen_ai.request.max_tokens", settings.MaxTokens);
        activity.SetTag("gen_ai.request.temperature", settings.Temperature);
        activity.SetTag("gen_ai.request.top_p", settings.TopP);
        activity.SetTag("gen_ai.request.top_k", settings.TopK);
        activity.SetTag("claude_code.streaming", streaming);
        return activity;
    }

    /// <summary>Records the outcome of a call: usage, finish reason, cost, duration.</summary>
    public static void RecordCompletion(Activity? activity, IReadOnlyDictionary<string, object?>? metadata, string? requestModel, string? responseModel, TimeSpan elapsed)
    {
        var usage = metadata?.TryGetValue(ClaudeCodeMetadataKeys.Usage, out var value) == true ? value as UsageDetails : null;
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.request.model", requestModel },
            { "gen_ai.response.model", responseModel },
        };
        s_duration.Record(elapsed.TotalSeconds, tags);
        if (usage is not null)
        {
            s_promptTokens.Add(usage.InputTokenCount ?? 0, tags);
            s_completionTokens.Add(usage.OutputTokenCount ?? 0, tags);
            s_totalTokens.Add(usage.TotalTokenCount ?? 0, tags);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", responseModel);
        activity.SetTag("gen_ai.usage.input_tokens", usage?.InputTokenCount);
        activity.SetTag("gen_ai.usage.output_tokens", usage?.OutputTokenCount);
        activity.SetTag("gen_ai.usage.cache_read.input_tokens", usage?.CachedInputTokenCount);
        if (metadata?.TryGetValue(ClaudeCodeMetadataKeys.FinishReason, out var finish) == true && finish is string reason)
        {
            activity.SetTag("gen_ai.response.finish_reasons", new[] { reason });
        }

        if (metadata?.TryGetValue(ClaudeCodeMetadataKeys.SessionId, out var session) == true)
        {
            activity.SetTag("gen_ai.conversation.id", session);
        }

        if (metadata?.TryGetValue(ClaudeCodeMetadataKeys.CostUsd, out var cost) == true)
        {
            activity.SetTag("claude_code.cost_usd", cost);
        }
    }

    /// <summary>Marks the activity of a failed call.</summary>
    public static void RecordError(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", exception.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
    }
}
