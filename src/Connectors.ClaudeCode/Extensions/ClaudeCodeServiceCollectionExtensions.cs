// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Microsoft.SemanticKernel;

/// <summary>Adds the Claude Code chat completion service to an <see cref="IServiceCollection"/>.</summary>
public static class ClaudeCodeServiceCollectionExtensions
{
    /// <summary>
    /// Adds Claude through the Claude Code CLI as a keyed singleton <see cref="IChatCompletionService"/>. With no
    /// configuration the CLI is found on PATH and uses whatever it is logged into.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model, e.g. <c>claude-sonnet-4-5</c> or <c>sonnet</c>; null for the CLI's default.</param>
    /// <param name="configure">Changes to the <see cref="ClaudeCodeOptions"/> (CLI path, working directory, environment, …).</param>
    /// <param name="serviceId">A key for the service, to pick it among several.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddClaudeCodeChatCompletion(
        this IServiceCollection services,
        string? modelId = null,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ClaudeCodeOptions();
        configure?.Invoke(options);

        services.AddKeyedSingleton<IChatCompletionService>(serviceId, (provider, _) =>
            new ClaudeCodeChatCompletionService(modelId, options, provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Adds Claude on Microsoft Foundry, through the Claude Code CLI, as a keyed singleton
    /// <see cref="IChatCompletionService"/>, authenticated with an Azure <see cref="TokenCredential"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The Foundry deployment name of the Claude model.</param>
    /// <param name="foundryEndpoint">The Foundry endpoint, e.g. <c>https://my-resource.services.ai.azure.com/anthropic</c>.</param>
    /// <param name="credential">Gives the tokens; asked before a process starts, cached, and refreshed before expiry.</param>
    /// <param name="configure">Other changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the service, to pick it among several.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddClaudeCodeChatCompletion(
        this IServiceCollection services,
        string modelId,
        Uri foundryEndpoint,
        TokenCredential credential,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddClaudeCodeChatCompletion(modelId, FoundryConfiguration.Create(modelId, foundryEndpoint, credential, configure), serviceId);
    }
}
