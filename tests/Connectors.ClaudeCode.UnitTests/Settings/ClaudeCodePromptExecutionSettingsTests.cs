// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Settings;

public sealed class ClaudeCodePromptExecutionSettingsTests
{
    [Fact]
    public void NullGivesDefaultsAndTheSameTypeIsReturnedAsIs()
    {
        Assert.NotNull(ClaudeCodePromptExecutionSettings.FromExecutionSettings(null));
        var settings = new ClaudeCodePromptExecutionSettings();
        Assert.Same(settings, ClaudeCodePromptExecutionSettings.FromExecutionSettings(settings));
    }

    [Fact]
    public void PlainSettingsFromAPromptTemplateConvertByJsonNameKeepingFunctionChoiceBehavior()
    {
        var behavior = FunctionChoiceBehavior.Auto();
        var plain = JsonSerializer.Deserialize<PromptExecutionSettings>("""{"model_id":"claude-haiku-4-5","service_id":"svc","chat_system_prompt":"Be kind."}""")!;
        plain.FunctionChoiceBehavior = behavior;

        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(plain);

        Assert.Equal("claude-haiku-4-5", settings.ModelId);
        Assert.Equal("svc", settings.ServiceId);
        Assert.Equal("Be kind.", settings.ChatSystemPrompt);
        Assert.Same(behavior, settings.FunctionChoiceBehavior);
    }

    /// <summary>Shaped like another connector's settings class (OpenAI's uses these JSON names).</summary>
    private sealed class OtherConnectorSettings : PromptExecutionSettings
    {
        [System.Text.Json.Serialization.JsonPropertyName("temperature")]
        public double? Temperature { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("max_tokens")]
        public int? MaxTokens { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("stop_sequences")]
        public IList<string>? StopSequences { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("seed")]
        public long? Seed { get; set; }
    }

    [Fact]
    public void AnotherConnectorsSettingsConvertByNameAndKeepWhatHasNoCounterpart()
    {
        var behavior = FunctionChoiceBehavior.Required();
        var other = new OtherConnectorSettings { Temperature = 0.3, MaxTokens = 99, StopSequences = ["x"], Seed = 42, ModelId = "m", FunctionChoiceBehavior = behavior };

        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(other);

        Assert.Equal((0.3, 99, "m"), (settings.Temperature!.Value, settings.MaxTokens!.Value, settings.ModelId));
        Assert.Equal(["x"], settings.StopSequences!);
        Assert.Same(behavior, settings.FunctionChoiceBehavior);
        Assert.Equal(42, ((JsonElement)settings.ExtensionData!["seed"]).GetInt64());
    }

    [Fact]
    public void CloneCopiesEveryPublicProperty()
    {
        var original = new ClaudeCodePromptExecutionSettings
        {
            ModelId = "m",
            ServiceId = "s",
            FunctionChoiceBehavior = FunctionChoiceBehavior.None(),
            ExtensionData = new Dictionary<string, object> { ["x"] = 1 },
            ChatSystemPrompt = "c",
            MaxTokens = 10,
            Temperature = 0.5,
            TopP = 0.5,
            TopK = 3,
            StopSequences = ["x"],
            ReasoningEffort = "low",
            Thinking = ClaudeCodeThinking.Enabled(2048),
            ResponseFormat = "json_object",
            User = "u",
            MaxTurns = 2,
            FallbackModel = "f",
            MaxBudgetUsd = 1.5,
            Citations = true,
            WebSearch = new ClaudeCodeWebSearch { AllowedDomains = ["a.test"] },
            McpServers = [new ClaudeCodeMcpServer { Name = "docs", Url = new Uri("https://mcp.test/mcp"), Headers = new Dictionary<string, string> { ["X-Key"] = "k" }, AllowedTools = ["a"], RequireApproval = ClaudeCodeMcpApproval.Never, AlwaysRequireApprovalTools = ["b"], NeverRequireApprovalTools = ["c"] }],
        };
        var settable = typeof(ClaudeCodePromptExecutionSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToList();

        // Every settable property must have been given a non-default value above, or this test proves nothing for it.
        Assert.All(settable, p => Assert.NotNull(p.GetValue(original)));

        var clone = (ClaudeCodePromptExecutionSettings)original.Clone();

        foreach (var property in settable)
        {
            var expected = property.GetValue(original);
            var actual = property.GetValue(clone);
            if (expected is FunctionChoiceBehavior)
            {
                Assert.Same(expected, actual);
                continue;
            }

            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            if (expected is not null && !expected.GetType().IsValueType && expected is not string)
            {
                // Mutable values are copied, so changing the clone cannot change a frozen original.
                Assert.NotSame(expected, actual);
            }
        }
    }

    [Fact]
    public void SettersThrowAfterFreeze()
    {
        var settings = new ClaudeCodePromptExecutionSettings();
        settings.Freeze();

        Assert.Throws<InvalidOperationException>(() => settings.ChatSystemPrompt = "x");
        Assert.Throws<InvalidOperationException>(() => settings.ModelId = "x");
        Assert.Throws<InvalidOperationException>(() => settings.MaxTokens = 5);
        Assert.Throws<InvalidOperationException>(() => settings.Temperature = 0.5);
    }

    [Fact]
    public void FreezeMakesTheStopSequencesReadOnly()
    {
        var settings = new ClaudeCodePromptExecutionSettings { StopSequences = ["a"] };
        settings.Freeze();

        Assert.Throws<NotSupportedException>(() => settings.StopSequences!.Add("b"));
    }

    [Fact]
    public void SnakeCaseJsonFromAPromptTemplateFillsEverySetting()
    {
        var json = """
            {"max_tokens":"200","temperature":0.1,"top_p":0.7,"top_k":4,"stop_sequences":["S"],"reasoning_effort":"max",
             "thinking":{"type":"enabled","budget_tokens":4096},"response_format":"json_object","user":"u","max_turns":2,
             "fallback_model":"haiku","max_budget_usd":0.25,"chat_system_prompt":"c"}
            """;

        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(JsonSerializer.Deserialize<PromptExecutionSettings>(json));

        Assert.Equal(200, settings.MaxTokens);
        Assert.Equal(0.1, settings.Temperature);
        Assert.Equal(0.7, settings.TopP);
        Assert.Equal(4, settings.TopK);
        Assert.Equal(["S"], settings.StopSequences!);
        Assert.Equal("max", settings.ReasoningEffort);
        Assert.Equal(4096, settings.Thinking!.BudgetTokens);
        Assert.Equal("json_object", ((JsonElement)settings.ResponseFormat!).GetString());
        Assert.Equal("u", settings.User);
        Assert.Equal(2, settings.MaxTurns);
        Assert.Equal("haiku", settings.FallbackModel);
        Assert.Equal(0.25, settings.MaxBudgetUsd);
        Assert.Equal("c", settings.ChatSystemPrompt);
        Assert.Null(settings.ExtensionData);
    }
}
