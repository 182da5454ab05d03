// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Moq;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class ExecutionSettingsMapperTests
{
    private static ChatTurnRequest Map(ClaudeCodePromptExecutionSettings settings, ClaudeCodeOptions? options = null, string? model = "claude-sonnet-4-5")
    {
        var request = new ChatTurnRequest([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }])) { ModelId = model };
        ExecutionSettingsMapper.Apply(settings, request, options ?? new ClaudeCodeOptions(), NullLogger.Instance);
        return request;
    }

    private static JsonObject ExtraBody(ChatTurnRequest request) => request.ExtraBody;

    public static TheoryData<ClaudeCodePromptExecutionSettings, string> OutOfRange => new()
    {
        { new() { Temperature = -0.1 }, "Temperature" },
        { new() { Temperature = 1.5 }, "Temperature" },
        { new() { MaxTokens = 0 }, "MaxTokens" },
        { new() { TopP = 0 }, "TopP" },
        { new() { TopK = 0 }, "TopK" },
        { new() { StopSequences = ["ok", " "] }, "StopSequences" },
        { new() { ReasoningEffort = "extreme" }, "ReasoningEffort" },
        { new() { Thinking = ClaudeCodeThinking.Enabled(100) }, "Thinking" },
        { new() { Thinking = ClaudeCodeThinking.Enabled(4096), MaxTokens = 4096 }, "BudgetTokens" },
        { new() { Thinking = new ClaudeCodeThinking { Type = "sometimes" } }, "Thinking" },
        { new() { MaxTurns = 0 }, "MaxTurns" },
        { new() { MaxBudgetUsd = 0 }, "MaxBudgetUsd" },
        { new() { FallbackModel = "claude-sonnet-4-5" }, "FallbackModel" },
        { new() { ResponseFormat = "{not json" }, "ResponseFormat" },
        { new() { ResponseFormat = 42 }, "ResponseFormat" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void OutOfRangeValuesThrowNamingTheProperty(ClaudeCodePromptExecutionSettings settings, string property)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Map(settings));
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryMappedSettingBecomesAFlagOrEnvironment()
    {
        var request = Map(new ClaudeCodePromptExecutionSettings
        {
            MaxTokens = 9000,
            TopP = 0.8,
            TopK = 5,
            StopSequences = ["<end>"],
            User = "u1",
            ReasoningEffort = "High",
            Thinking = ClaudeCodeThinking.Enabled(2048),
            MaxTurns = 3,
            FallbackModel = "claude-haiku-4-5",
            MaxBudgetUsd = 0.5,
        });

        Assert.Equal("9000", request.ExtraEnvironment[ExecutionSettingsMapper.MaxOutputTokensVariable]);
        var body = ExtraBody(request);
        Assert.Equal(0.8, body["top_p"]!.GetValue<double>());
        Assert.Equal(5, body["top_k"]!.GetValue<int>());
        Assert.Equal("<end>", body["stop_sequences"]![0]!.GetValue<string>());
        Assert.Equal("u1", body["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(["--effort=high", "--max-thinking-tokens=2048", "--max-turns=3", "--fallback-model=claude-haiku-4-5", "--max-budget-usd=0.5"], request.ExtraArguments);
        Assert.False(request.ExpectsStructuredOutput);
    }

    [Fact]
    public void TemperatureTurnsThinkingOffUnlessThinkingIsAskedFor()
    {
        var claudeCodeThinking = new ClaudeCodeOptions { DisableThinkingByDefault = false };
        var plain = Map(new ClaudeCodePromptExecutionSettings { Temperature = 0.3 }, claudeCodeThinking);
        Assert.Equal("disabled", ExtraBody(plain)["thinking"]!["type"]!.GetValue<string>());
        Assert.Contains("--thinking=disabled", plain.ExtraArguments);

        var one = Map(new ClaudeCodePromptExecutionSettings { Temperature = 1 }, claudeCodeThinking);
        Assert.Null(ExtraBody(one)["thinking"]);

        var conflicting = Map(new ClaudeCodePromptExecutionSettings { Temperature = 0.3, Thinking = ClaudeCodeThinking.Adaptive() });
        Assert.Empty(conflicting.ExtraBody);
        Assert.Contains("--thinking=adaptive", conflicting.ExtraArguments);

        var strict = new ClaudeCodeOptions { UnsupportedParameterPolicy = ClaudeCodeUnsupportedParameterPolicy.Throw };
        var error = Assert.Throws<NotSupportedException>(() => Map(new ClaudeCodePromptExecutionSettings { Temperature = 0.3, Thinking = ClaudeCodeThinking.Adaptive() }, strict));
        Assert.Contains("'temperature'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThinkingIsSentOnlyWhenAskedFor()
    {
        var plain = Map(new ClaudeCodePromptExecutionSettings());
        Assert.Equal("disabled", ExtraBody(plain)["thinking"]!["type"]!.GetValue<string>());
        Assert.Contains("--thinking=disabled", plain.ExtraArguments);

        var budget = Map(new ClaudeCodePromptExecutionSettings { Thinking = ClaudeCodeThinking.Enabled(2048) });
        Assert.Null(ExtraBody(budget)["thinking"]);
        Assert.Contains("--max-thinking-tokens=2048", budget.ExtraArguments);

        // An effort level asks for thinking at that effort: Claude Code's own thinking stays on.
        var effort = Map(new ClaudeCodePromptExecutionSettings { ReasoningEffort = "high" });
        Assert.Null(ExtraBody(effort)["thinking"]);
        Assert.DoesNotContain(effort.ExtraArguments, a => a.StartsWith("--thinking", StringComparison.Ordinal));

        var claudeCodeDefault = Map(new ClaudeCodePromptExecutionSettings(), new ClaudeCodeOptions { DisableThinkingByDefault = false });
        Assert.Null(ExtraBody(claudeCodeDefault)["thinking"]);
        Assert.DoesNotContain(claudeCodeDefault.ExtraArguments, a => a.StartsWith("--thinking", StringComparison.Ordinal));
    }

    [Fact]
    public void TurningThinkingOffAndCleaningASchemaAreLogged()
    {
        var logger = new Mock<ILogger>();
        var request = new ChatTurnRequest([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }]));
        var schema = JsonSerializer.Deserialize<JsonElement>("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}""");

        ExecutionSettingsMapper.Apply(new ClaudeCodePromptExecutionSettings { Temperature = 0.2, ResponseFormat = schema }, request, new ClaudeCodeOptions { DisableThinkingByDefault = false }, logger.Object);

        // Both are the connector changing the request on its own, so they are said once each, at Information.
        VerifyLoggedOnce(logger, LogLevel.Information, "thinking is turned off");
        VerifyLoggedOnce(logger, LogLevel.Information, "cannot take: $schema");
    }

    /// <summary>Checks that exactly one entry at <paramref name="level"/> has a formatted message containing <paramref name="text"/>.</summary>
    private static void VerifyLoggedOnce(Mock<ILogger> logger, LogLevel level, string text)
        => logger.Verify(
            l => l.Log(
                level,
                It.IsAny<EventId>(),
                It.Is<It.IsAnyType>((state, _) => state != null && state.ToString()!.Contains(text, StringComparison.Ordinal)),
                It.IsAny<Exception?>(),
                It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);

    [Fact]
    public void TemperatureAndTopPTogetherKeepTemperatureByPolicy()
    {
        var both = new ClaudeCodePromptExecutionSettings { Temperature = 0.5, TopP = 0.9 };

        var body = ExtraBody(Map(both));
        Assert.Equal(0.5, body["temperature"]!.GetValue<double>());
        Assert.Null(body["top_p"]);

        var strict = new ClaudeCodeOptions { UnsupportedParameterPolicy = ClaudeCodeUnsupportedParameterPolicy.Throw };
        var error = Assert.Throws<NotSupportedException>(() => Map(both, strict));
        Assert.Contains("'top_p'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExtraBodyFromTheOptionsIsKeptAndExtended()
    {
        var options = new ClaudeCodeOptions();
        options.EnvironmentVariables[ExecutionSettingsMapper.ExtraBodyVariable] = """{"service_tier":"auto"}""";

        var body = ExtraBody(Map(new ClaudeCodePromptExecutionSettings { TopK = 3 }, options));

        Assert.Equal("auto", body["service_tier"]!.GetValue<string>());
        Assert.Equal(3, body["top_k"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("results_per_prompt", "2", true)]
    [InlineData("results_per_prompt", "1", false)]
    [InlineData("seed", "5", true)]
    [InlineData("logprobs", "true", true)]
    [InlineData("logprobs", "false", false)]
    [InlineData("presence_penalty", "0.1", true)]
    [InlineData("frequency_penalty", "0", false)]
    [InlineData("token_selection_biases", "{\"1\":5}", true)]
    public void TheThrowPolicyRefusesOnlySettingsThatAreActuallySet(string name, string json, bool refused)
    {
        var strict = new ClaudeCodeOptions { UnsupportedParameterPolicy = ClaudeCodeUnsupportedParameterPolicy.Throw };
        var settings = new ClaudeCodePromptExecutionSettings { ExtensionData = new Dictionary<string, object> { [name] = JsonSerializer.Deserialize<JsonElement>(json) } };

        if (refused)
        {
            var error = Assert.Throws<NotSupportedException>(() => Map(settings, strict));
            Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Map(settings, strict);
        }
    }

    [Fact]
    public void SchemasLoseOnlyTheKeywordsTheCliRefuses()
    {
        var schema = ResponseFormatSchema.For(
            JsonSerializer.Deserialize<JsonElement>("""{"$schema":"x","$id":"urn:y","type":"object","properties":{"a":{"$id":"z","type":"string","format":"date"}},"$defs":{"b":{"type":"integer"}}}"""),
            NullLogger.Instance)!;

        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string","format":"date"}},"$defs":{"b":{"type":"integer"}}}""", schema.ToJsonString());
        Assert.Null(ResponseFormatSchema.For("text", NullLogger.Instance));
        Assert.Equal("""{"type":"object"}""", ResponseFormatSchema.For("json_object", NullLogger.Instance)!.ToJsonString());
    }

    private sealed record Sample(string Title, int Count);

    [Fact]
    public void ATypeGivesASchemaWithItsDeclaredPropertyNames()
    {
        var request = Map(new ClaudeCodePromptExecutionSettings { ResponseFormat = typeof(Sample) });

        Assert.True(request.ExpectsStructuredOutput);
        var argument = Assert.Single(request.ExtraArguments, a => a.StartsWith("--json-schema=", StringComparison.Ordinal));
        var schema = JsonNode.Parse(argument["--json-schema=".Length..])!;
        Assert.NotNull(schema["properties"]!["Title"]);
        Assert.NotNull(schema["properties"]!["Count"]);
    }
}
