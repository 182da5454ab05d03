// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Maps the API's usage object to <see cref="UsageDetails"/>, whose JSON shape SK's token metrics read.</summary>
internal static class UsageMapper
{
    public const string CacheReadInputTokens = "CacheReadInputTokens";
    public const string CacheCreationInputTokens = "CacheCreationInputTokens";
    public const string UncachedInputTokens = "UncachedInputTokens";

    public static UsageDetails? Map(JsonElement? usage)
    {
        if (usage is not { ValueKind: JsonValueKind.Object } u)
        {
            return null;
        }

        var uncached = u.GetInt64OrNull("input_tokens") ?? 0;
        var cacheRead = u.GetInt64OrNull("cache_read_input_tokens") ?? 0;
        var cacheWrite = u.GetInt64OrNull("cache_creation_input_tokens") ?? 0;
        var output = u.GetInt64OrNull("output_tokens") ?? 0;
        var thinking = u.GetPropertyOrNull("output_tokens_details")?.GetInt64OrNull("thinking_tokens");

        // Anthropic reports cached input apart from input_tokens; the total prompt is their sum.
        var input = uncached + cacheRead + cacheWrite;
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            CachedInputTokenCount = cacheRead,
            ReasoningTokenCount = thinking is > 0 ? thinking : null,
            AdditionalCounts = new AdditionalPropertiesDictionary<long>
            {
                [UncachedInputTokens] = uncached,
                [CacheReadInputTokens] = cacheRead,
                [CacheCreationInputTokens] = cacheWrite,
            },
        };
    }
}
