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
            if (expected is IDictionary<string, object> dictionary)
            {
                Assert.Equal(dictionary, (IDictionary<string, object>)actual!);
                Assert.NotSame(expected, actual);
            }
            else
            {
                Assert.Equal(expected, actual);
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
    }
}
