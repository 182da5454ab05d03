// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>Names under which the connector publishes traces and metrics.</summary>
public static class ClaudeCodeTelemetry
{
    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> name: add it
    /// to OpenTelemetry's tracing and metrics (<c>AddSource</c>, <c>AddMeter</c>) to get an activity <c>chat {model}</c>
    /// per call with <c>gen_ai.*</c> tags, token counters and a duration histogram.
    /// </summary>
    public const string SourceName = Core.ClaudeCodeDiagnostics.SourceName;
}
