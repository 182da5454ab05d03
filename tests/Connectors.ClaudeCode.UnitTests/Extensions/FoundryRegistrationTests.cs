// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Services;
using Moq;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Extensions;

/// <summary>The Foundry overloads: their arguments are checked at registration, and they become the CLI's Foundry settings.</summary>
public sealed class FoundryRegistrationTests
{
    private static readonly Uri s_endpoint = new("https://contoso.services.ai.azure.com/anthropic/");
    private static readonly TokenCredential s_credential = new Mock<TokenCredential>(MockBehavior.Strict).Object;

    [Fact]
    public void EveryOverloadRegistersItsFaceWithTheDeploymentAsModel()
    {
        var kernel = Kernel.CreateBuilder()
            .AddClaudeCodeChatCompletion("claude-sonnet-deployment", s_endpoint, s_credential)
            .AddClaudeCodeChatClient("claude-haiku-deployment", s_endpoint, s_credential, serviceId: "client")
            .Build();

        Assert.Equal("claude-sonnet-deployment", kernel.GetRequiredService<IChatCompletionService>().GetModelId());
        var client = kernel.Services.GetRequiredKeyedService<IChatClient>("client");
        Assert.Equal("claude-haiku-deployment", client.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public void TheEndpointAndCredentialBecomeTheCliFoundrySettingsAndBareMode()
    {
        ClaudeCodeOptions? seen = null;
        var services = new ServiceCollection();
        services.AddClaudeCodeChatCompletion("deployment", s_endpoint, s_credential, options =>
        {
            options.EnvironmentVariables["ANTHROPIC_FOUNDRY_RESOURCE"] = "stale";
            seen = options;
        });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IChatCompletionService>();

        Assert.NotNull(seen);
        Assert.Same(s_credential, seen.FoundryCredential);
        var spec = CliArgumentsBuilder.BuildReady(seen, new LaunchContext(null, null, bare: true), "/bin/claude", null);
        Assert.Equal("1", spec.Environment["CLAUDE_CODE_USE_FOUNDRY"]);
        Assert.Equal("https://contoso.services.ai.azure.com/anthropic", spec.Environment["ANTHROPIC_FOUNDRY_BASE_URL"]);
        Assert.Null(spec.Environment["ANTHROPIC_FOUNDRY_RESOURCE"]);
        Assert.DoesNotContain("ANTHROPIC_FOUNDRY_AUTH_TOKEN", spec.Signature(), StringComparison.Ordinal);
        Assert.True(BareModePolicy.Decide(seen, new Hashtable()).Bare);
    }

    [Theory]
    [InlineData("/anthropic")]
    [InlineData("http://contoso.services.ai.azure.com/anthropic")]
    [InlineData("ftp://contoso.services.ai.azure.com/")]
    public void AnEndpointThatIsNotAbsoluteHttpsIsRefusedByName(string endpoint)
    {
        var uri = new Uri(endpoint, UriKind.RelativeOrAbsolute);

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddClaudeCodeChatCompletion("deployment", uri, s_credential));
        Assert.Equal("foundryEndpoint", ex.ParamName);
        Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddClaudeCodeChatClient("deployment", uri, s_credential));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://[::1]:8080/")]
    public void LoopbackHttpIsAllowedForTests(string endpoint)
        => new ServiceCollection().AddClaudeCodeChatCompletion("deployment", new Uri(endpoint), s_credential);

    [Fact]
    public void MissingArgumentsAreRefusedByName()
    {
        var services = new ServiceCollection();

        Assert.Equal("credential", Assert.Throws<ArgumentNullException>(() => services.AddClaudeCodeChatCompletion("d", s_endpoint, null!)).ParamName);
        Assert.Equal("foundryEndpoint", Assert.Throws<ArgumentNullException>(() => services.AddClaudeCodeChatClient("d", null!, s_credential)).ParamName);
        Assert.Equal("modelId", Assert.Throws<ArgumentException>(() => services.AddClaudeCodeChatCompletion(" ", s_endpoint, s_credential)).ParamName);
        Assert.Equal("modelId", Assert.Throws<ArgumentNullException>(() => services.AddClaudeCodeChatClient(null!, s_endpoint, s_credential)).ParamName);
    }

    [Fact]
    public void ACredentialWithoutAnEndpointIsRefusedBeforeAnyProcess()
    {
        var options = new ClaudeCodeOptions { FoundryCredential = s_credential };

        var ex = Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService("deployment", options));
        Assert.Contains("FoundryEndpoint", ex.Message, StringComparison.Ordinal);
    }
}
