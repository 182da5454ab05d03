// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Moq;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// Microsoft Foundry with an Azure <see cref="TokenCredential"/>: the pinned CLI, pointed at the fake Messages API as
/// its Foundry endpoint, must send the credential's token, a refreshed one once the old would expire, and nothing
/// when the credential fails.
/// </summary>
public sealed class FoundryTests
{
    /// <summary>Options for the fake API as a Foundry endpoint: no API key, so only the token can authenticate.</summary>
    private static ClaudeCodeOptions FoundryOptions(CliTestEnvironment env, TokenCredential credential, Action<ClaudeCodeOptions>? configure = null)
    {
        var options = env.CreateOptions(apiKey: null);
        options.EnvironmentVariables["ANTHROPIC_BASE_URL"] = null;
        options.FoundryEndpoint = env.Api.BaseUrl;
        options.FoundryCredential = credential;
        configure?.Invoke(options);
        return options;
    }

    private static string? Bearer(RecordedRequest request)
        => request.Headers.TryGetValue("Authorization", out var value) ? value : null;

    [Fact]
    public async Task EveryRequestCarriesTheCredentialsTokenAskedForOnceAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var credential = new Mock<TokenCredential>(MockBehavior.Strict);
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("foundry-token-1", DateTimeOffset.UtcNow.AddHours(1)));

        var services = new ServiceCollection();
        services.AddClaudeCodeChatCompletion(CliTestEnvironment.TestModel, env.Api.BaseUrl, credential.Object, options =>
        {
            var test = FoundryOptions(env, credential.Object);
            foreach (var (name, value) in test.EnvironmentVariables)
            {
                options.EnvironmentVariables[name] = value;
            }

            options.CliPath = test.CliPath;
            options.WorkingDirectory = test.WorkingDirectory;
            options.MaxRetries = 0;
        });
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatCompletionService>();

        var history = new ChatHistory();
        history.AddUserMessage("first");
        history.Add(await chat.GetChatMessageContentAsync(history));
        history.AddUserMessage("second");
        var second = await chat.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: second", second.Content);
        Assert.Equal(2, env.Api.MessageRequests.Count);
        Assert.All(env.Api.MessageRequests, r => Assert.Equal("Bearer foundry-token-1", Bearer(r)));
        Assert.All(env.Api.MessageRequests, r => Assert.False(r.Headers.ContainsKey("x-api-key")));

        // One token serves the call's process, the ready process started beside it and the live session.
        credential.Verify(
            c => c.GetTokenAsync(It.Is<TokenRequestContext>(x => x.Scopes.SequenceEqual(new[] { "https://cognitiveservices.azure.com/.default" })), It.IsAny<CancellationToken>()),
            Times.Once());
    }

    [Fact]
    public async Task ATokenDueToExpireIsRefreshedAndItsProcessIsNotReusedAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var credential = new Mock<TokenCredential>(MockBehavior.Strict);
        credential
            .SetupSequence(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))

            // Valid for less than a call may take (RequestTimeout below): usable once, never kept.
            .ReturnsAsync(new AccessToken("short-lived", DateTimeOffset.UtcNow.AddMinutes(3)))
            .ReturnsAsync(new AccessToken("refreshed", DateTimeOffset.UtcNow.AddHours(1)));
        var options = FoundryOptions(env, credential.Object, o =>
        {
            o.RequestTimeout = TimeSpan.FromMinutes(5);
            CliTestEnvironment.WithoutReadyProcesses(o);
        });
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options));

        var history = new ChatHistory();
        history.AddUserMessage("first");
        history.Add(await service.GetChatMessageContentAsync(history));
        history.AddUserMessage("second");
        var second = await service.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: second", second.Content);
        var requests = env.Api.MessageRequests;
        Assert.Equal(new[] { "Bearer short-lived", "Bearer refreshed" }, requests.Select(r => Bearer(r) ?? "(none)").ToArray());

        // The second call could not continue the first process: a new one got the whole history.
        Assert.Equal(3, requests[1].Messages.Count);
        Assert.NotEqual(requests[0].CliSessionId, requests[1].CliSessionId);
    }

    [Fact]
    public async Task ACredentialFailureIsTypedAndStartsNoProcessAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var failure = new RequestFailedException(401, "the managed identity is not available");
        var credential = new Mock<TokenCredential>(MockBehavior.Strict);
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, FoundryOptions(env, credential.Object)));
        var history = new ChatHistory();
        history.AddUserMessage("hello");

        var ex = await Assert.ThrowsAsync<ClaudeCodeAuthenticationException>(() => service.GetChatMessageContentAsync(history));

        Assert.Same(failure, ex.InnerException);
        Assert.Contains("cognitiveservices.azure.com", ex.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }
}
