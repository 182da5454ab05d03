// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class UsageAndFinishReasonTests
{
    [Fact]
    public void InputCountsCacheReadsAndWritesAndKeepsThemApart()
    {
        var usage = UsageMapper.Map(JsonSerializer.Deserialize<JsonElement>("""{"input_tokens":5,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":50,"output_tokens_details":{"thinking_tokens":30}}"""))!;

        Assert.Equal(1205, usage.InputTokenCount);
        Assert.Equal(50, usage.OutputTokenCount);
        Assert.Equal(1255, usage.TotalTokenCount);
        Assert.Equal(1000, usage.CachedInputTokenCount);
        Assert.Equal(30, usage.ReasoningTokenCount);
        Assert.Equal(5, usage.AdditionalCounts![UsageMapper.UncachedInputTokens]);
        Assert.Equal(200, usage.AdditionalCounts[UsageMapper.CacheCreationInputTokens]);

        // SK's kernel metrics read usage by JSON shape.
        var json = JsonSerializer.Serialize(usage);
        Assert.Contains("\"InputTokenCount\":1205", json, System.StringComparison.Ordinal);
        Assert.Contains("\"OutputTokenCount\":50", json, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("something_new", "something_new")]
    public void StopReasonsMapToFinishReasons(string stopReason, string finishReason)
    {
        Assert.Equal(finishReason, FinishReasonMapper.Map(stopReason)!.Value.Value);
    }

    [Fact]
    public void NoUsageMapsToNull()
    {
        Assert.Null(UsageMapper.Map(null));
        Assert.Null(FinishReasonMapper.Map(null));
    }
}
