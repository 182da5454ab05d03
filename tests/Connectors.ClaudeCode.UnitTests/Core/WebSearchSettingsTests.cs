// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

/// <summary>Web search per request: how it is asked for, and the flags and process choice it leads to.</summary>
public sealed class WebSearchSettingsTests
{
    private static ChatTurnRequest Request(bool webSearch)
        => new([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }])) { WebSearchPolicy = webSearch ? WebSearchPolicy.From(new ClaudeCodeWebSearch()) : null };

    [Fact]
    public void TheSettingReadsFromItsJsonNameAndIsCloned()
    {
        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object> { ["web_search"] = new Dictionary<string, object> { ["enabled"] = true } },
        });

        Assert.True(settings.WebSearch!.Enabled);
        var clone = (ClaudeCodePromptExecutionSettings)settings.Clone();
        Assert.NotSame(settings.WebSearch, clone.WebSearch);
        Assert.True(clone.WebSearch!.Enabled);
    }

    [Fact]
    public void AHostedWebSearchToolAsksForWebSearch()
    {
        Assert.True(ChatClientConversions.ToSettings(new ChatOptions { Tools = [new HostedWebSearchTool()] }).WebSearch!.Enabled);
        Assert.Null(ChatClientConversions.ToSettings(new ChatOptions()).WebSearch);
        Assert.Null(ChatClientConversions.ToPlan(new ChatOptions { Tools = [new HostedWebSearchTool()] }));
    }

    [Fact]
    public void AWebSearchRequestAddsTheToolToTheAppsToolsWithAnAskRule()
    {
        var options = new ClaudeCodeOptions();
        options.BuiltInTools.Add("Read");
        var launch = new LaunchContext(null, null, bare: false);

        var with = CliArgumentsBuilder.Build(options, launch, Request(webSearch: true), "/bin/claude", null, null).Arguments;
        var without = CliArgumentsBuilder.Build(options, launch, Request(webSearch: false), "/bin/claude", null, null).Arguments;

        Assert.Contains("--tools=Read,WebSearch", with);
        Assert.Contains("--settings={\"permissions\":{\"ask\":[\"Read\",\"WebSearch\"]}}", with);
        Assert.Contains("--permission-prompt-tool=stdio", with);
        Assert.Contains("--tools=Read", without);
        Assert.DoesNotContain(without, a => a.Contains("WebSearch", System.StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutOtherToolsWebSearchIsTheOnlyOneAndReplacesTheEmptyToolList()
    {
        var args = CliArgumentsBuilder.Build(new ClaudeCodeOptions(), new LaunchContext(null, null, bare: false), Request(webSearch: true), "/bin/claude", null, null).Arguments;

        Assert.Equal(["--tools=WebSearch"], args.Where(a => a.StartsWith("--tools", System.StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void BareModeChosenByAutoGivesWayForAWebSearchRequestOnly()
    {
        var automatic = new LaunchContext(null, null, bare: true, bareIsAutomatic: true);
        var forced = new LaunchContext(null, null, bare: true);

        Assert.DoesNotContain("--bare", CliArgumentsBuilder.Build(new ClaudeCodeOptions(), automatic, Request(webSearch: true), "/bin/claude", null, null).Arguments);
        Assert.Contains("--bare", CliArgumentsBuilder.Build(new ClaudeCodeOptions(), automatic, Request(webSearch: false), "/bin/claude", null, null).Arguments);
        Assert.Contains("--bare", CliArgumentsBuilder.BuildReady(new ClaudeCodeOptions(), automatic, "/bin/claude", null).Arguments);
        Assert.True(forced.BareFor(Request(webSearch: true)));
    }

    [Fact]
    public void AWebSearchRequestNeverTakesAReadyProcess()
    {
        Assert.Null(PerTurnSettings.TryCreate(Request(webSearch: true)));
        Assert.NotNull(PerTurnSettings.TryCreate(Request(webSearch: false)));
    }

    [Fact]
    public void DomainListsReadFromTheirJsonNamesAndOnlyOneMayBeSet()
    {
        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(System.Text.Json.JsonSerializer.Deserialize<PromptExecutionSettings>(
            """{"web_search":{"enabled":true,"allowed_domains":["a.test"]}}""")!);
        Assert.Equal(["a.test"], settings.WebSearch!.AllowedDomains!.ToArray());

        Assert.Throws<System.ArgumentException>(() => WebSearchPolicy.From(new ClaudeCodeWebSearch { AllowedDomains = ["a.test"], BlockedDomains = ["b.test"] }));
        Assert.Throws<System.ArgumentException>(() => WebSearchPolicy.From(new ClaudeCodeWebSearch { BlockedDomains = [" "] }));
        Assert.Null(WebSearchPolicy.From(new ClaudeCodeWebSearch { Enabled = false }));
    }

    [Fact]
    public void TheAppsListsRewriteTheModelsInput()
    {
        var input = System.Text.Json.JsonDocument.Parse("""{"query":"qq","allowed_domains":["m.test"],"blocked_domains":["x.test"]}""").RootElement;

        var allowed = WebSearchPolicy.From(new ClaudeCodeWebSearch { AllowedDomains = ["a.test"] })!.Apply(input).GetRawText();
        var blocked = WebSearchPolicy.From(new ClaudeCodeWebSearch { BlockedDomains = ["b.test", "X.test"] })!.Apply(input).GetRawText();
        var none = WebSearchPolicy.From(new ClaudeCodeWebSearch())!.Apply(input).GetRawText();

        Assert.Equal("""{"query":"qq","allowed_domains":["a.test"]}""", allowed);
        Assert.Equal("""{"query":"qq","blocked_domains":["x.test","b.test"]}""", blocked);
        Assert.Equal(input.GetRawText(), none);
    }
}
