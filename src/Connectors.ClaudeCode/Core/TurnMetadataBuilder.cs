// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Builds the metadata dictionary SK users read from a finished turn.</summary>
internal static class TurnMetadataBuilder
{
    public static Dictionary<string, object?> Build(TurnResult turn)
    {
        var result = turn.Result;
        var metadata = new Dictionary<string, object?>(System.StringComparer.Ordinal)
        {
            [ClaudeCodeMetadataKeys.Usage] = UsageMapper.Map(result.Usage),
            [ClaudeCodeMetadataKeys.FinishReason] = FinishReasonMapper.Map(turn.StopReason)?.Value,
            [ClaudeCodeMetadataKeys.StopReason] = turn.StopReason,
            [ClaudeCodeMetadataKeys.SessionId] = result.SessionId,
            [ClaudeCodeMetadataKeys.CostUsd] = turn.Share.CostUsd,
            [ClaudeCodeMetadataKeys.DurationMs] = result.DurationMs,
            [ClaudeCodeMetadataKeys.DurationApiMs] = turn.Share.DurationApiMs,
            [ClaudeCodeMetadataKeys.NumTurns] = result.NumTurns,
            [ClaudeCodeMetadataKeys.TerminalReason] = result.TerminalReason,
            [ClaudeCodeMetadataKeys.ModelUsage] = turn.Share.ModelUsageJson,
        };

        if (result.StructuredOutput is { } structured)
        {
            metadata[ClaudeCodeMetadataKeys.StructuredOutput] = structured;
        }

        if (result.StructuredOutput is null && Citations.OfAnswer(turn) is { Count: > 0 } citations)
        {
            metadata[ClaudeCodeMetadataKeys.Citations] = citations;
        }

        if (turn.StopSequence is not null)
        {
            metadata[ClaudeCodeMetadataKeys.StopSequence] = turn.StopSequence;
        }

        if (turn.ApiRetries > 0)
        {
            metadata[ClaudeCodeMetadataKeys.ApiRetries] = turn.ApiRetries;
        }

        HostedToolContents.AddTo(metadata, turn.HostedToolCalls);

        if (RateLimitInfo.From(turn.RateLimit) is { } rateLimit)
        {
            metadata[ClaudeCodeMetadataKeys.RateLimit] = rateLimit;
        }

        return metadata;
    }
}
