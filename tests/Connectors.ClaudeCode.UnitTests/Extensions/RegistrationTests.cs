// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Services;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Extensions;

public sealed class RegistrationTests
{
    [Fact]
    public void TheKernelBuilderRegistersTheServiceWithItsModel()
    {
        var kernel = Kernel.CreateBuilder().AddClaudeCodeChatCompletion("claude-sonnet-4-5").Build();

        var service = kernel.GetRequiredService<IChatCompletionService>();

        Assert.IsType<ClaudeCodeChatCompletionService>(service);
        Assert.Equal("claude-sonnet-4-5", service.GetModelId());
    }

    [Fact]
    public void NoConfigurationAtAllStillRegistersAService()
    {
        var kernel = Kernel.CreateBuilder().AddClaudeCodeChatCompletion().Build();

        var service = kernel.GetRequiredService<IChatCompletionService>();

        Assert.Null(service.GetModelId());
    }

    [Fact]
    public void TheServiceCollectionRegistersAKeyedServiceThatSeesTheConfiguredOptions()
    {
        var services = new ServiceCollection();
        string? seenPath = null;
        services.AddClaudeCodeChatCompletion("haiku", o => seenPath = o.CliPath = "/opt/claude", serviceId: "claude");

        using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredKeyedService<IChatCompletionService>("claude");

        Assert.Equal("haiku", service.Attributes[AIServiceExtensions.ModelIdKey]);
        Assert.Equal("/opt/claude", seenPath);
        Assert.Null(provider.GetService<IChatCompletionService>());
    }
}
