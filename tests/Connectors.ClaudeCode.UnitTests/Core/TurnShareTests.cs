// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class TurnShareTests
{
    private static CliResultMessage Result(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void ALaterResultOfTheSameProcessCountsOnlyItsOwnTurn()
    {
        var first = Result("""{"type":"result","total_cost_usd":0.5,"duration_api_ms":100,"modelUsage":{"opus":{"inputTokens":10,"costUSD":0.5,"contextWindow":200000},"haiku":{"inputTokens":3,"costUSD":0.01,"contextWindow":200000}}}""");
        var second = Result("""{"type":"result","total_cost_usd":0.75,"duration_api_ms":160,"modelUsage":{"opus":{"inputTokens":25,"costUSD":0.75,"contextWindow":200000},"haiku":{"inputTokens":3,"costUSD":0.01,"contextWindow":200000}}}""");

        var share = TurnShare.Of(second, first);

        Assert.Equal(0.25, share.CostUsd!.Value, precision: 9);
        Assert.Equal(60, share.DurationApiMs);
        var models = JsonNode.Parse(share.ModelUsageJson!)!.AsObject();
        Assert.False(models.ContainsKey("haiku"));
        Assert.Equal(15, models["opus"]!["inputTokens"]!.GetValue<long>());
        Assert.Equal(0.25, models["opus"]!["costUSD"]!.GetValue<double>(), precision: 9);
        Assert.Equal(200000, models["opus"]!["contextWindow"]!.GetValue<int>());
    }

    [Fact]
    public void AProcesssFirstResultIsTakenAsItIs()
    {
        var first = Result("""{"type":"result","total_cost_usd":0.5,"duration_api_ms":100,"modelUsage":{"opus":{"inputTokens":10}}}""");

        var share = TurnShare.Of(first, previous: null);

        Assert.Equal(0.5, share.CostUsd);
        Assert.Equal(100, share.DurationApiMs);
        Assert.Equal("""{"opus":{"inputTokens":10}}""", share.ModelUsageJson);
    }
}
