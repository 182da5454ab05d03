// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections;
using System.Collections.Generic;
using System.IO;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class BareModePolicyTests
{
    private static readonly Hashtable s_noEnvironment = [];

    [Fact]
    public void AnApiKeyInTheOptionsAllowsBareMode()
    {
        var options = new ClaudeCodeOptions();
        options.EnvironmentVariables["ANTHROPIC_API_KEY"] = "sk-ant-x";

        Assert.True(BareModePolicy.Decide(options, s_noEnvironment).Bare);
    }

    [Fact]
    public void AnInheritedApiKeyAllowsBareModeUnlessTheOptionsRemoveIt()
    {
        var inherited = new Hashtable { ["ANTHROPIC_API_KEY"] = "sk-ant-x" };
        var options = new ClaudeCodeOptions();
        Assert.True(BareModePolicy.Decide(options, inherited).Bare);

        options.EnvironmentVariables["ANTHROPIC_API_KEY"] = null;
        Assert.False(BareModePolicy.Decide(options, inherited).Bare);
    }

    [Fact]
    public void ASubscriptionLoginKeepsTheNormalMode()
    {
        var inherited = new Hashtable { ["CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat-x" };

        var (bare, reason) = BareModePolicy.Decide(new ClaudeCodeOptions(), inherited);

        Assert.False(bare);
        Assert.Contains("subscription", reason, System.StringComparison.Ordinal);
        Assert.False(BareModePolicy.Decide(new ClaudeCodeOptions(), s_noEnvironment).Bare);
    }

    [Theory]
    [InlineData("CLAUDE_CODE_USE_BEDROCK", "1", true)]
    [InlineData("CLAUDE_CODE_USE_VERTEX", "true", true)]
    [InlineData("CLAUDE_CODE_USE_FOUNDRY", "1", true)]
    [InlineData("CLAUDE_CODE_USE_FOUNDRY", "0", false)]
    public void CloudProvidersAllowBareMode(string variable, string value, bool expected)
    {
        var options = new ClaudeCodeOptions();
        options.EnvironmentVariables[variable] = value;

        Assert.Equal(expected, BareModePolicy.Decide(options, s_noEnvironment).Bare);
    }

    [Fact]
    public void AnApiKeyHelperInlineOrInAFileAllowsBareMode()
    {
        var inline = new ClaudeCodeOptions();
        inline.AdditionalCliArguments.Add("--settings={\"apiKeyHelper\":\"echo k\"}");
        Assert.True(BareModePolicy.Decide(inline, s_noEnvironment).Bare);

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"apiKeyHelper\":\"/usr/local/bin/key\"}");
            var fromFile = new ClaudeCodeOptions();
            fromFile.AdditionalCliArguments.Add("--settings");
            fromFile.AdditionalCliArguments.Add(file);
            Assert.True(BareModePolicy.Decide(fromFile, s_noEnvironment).Bare);
        }
        finally
        {
            File.Delete(file);
        }

        var other = new ClaudeCodeOptions();
        other.AdditionalCliArguments.Add("--settings={\"model\":\"x\"}");
        Assert.False(BareModePolicy.Decide(other, s_noEnvironment).Bare);
    }

    [Theory]
    [InlineData(ClaudeCodeBareMode.Always, false, true)]
    [InlineData(ClaudeCodeBareMode.Never, true, false)]
    public void TheOptionForcesEitherWay(ClaudeCodeBareMode mode, bool withKey, bool expected)
    {
        var options = new ClaudeCodeOptions { BareMode = mode };
        var inherited = withKey ? new Hashtable { ["ANTHROPIC_API_KEY"] = "k" } : new Hashtable();

        Assert.Equal(expected, BareModePolicy.Decide(options, inherited).Bare);
    }
}
