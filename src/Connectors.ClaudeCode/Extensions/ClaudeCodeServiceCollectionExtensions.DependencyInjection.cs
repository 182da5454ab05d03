// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Claude through the Claude Code CLI as a Microsoft.Extensions.AI <see cref="IChatClient"/>.</summary>
public static class ClaudeCodeChatClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="ClaudeCodeChatClient"/> as a (keyed, when <paramref name="serviceId"/> is given) singleton
    /// <see cref="IChatClient"/>. With no configuration the CLI is found on PATH and uses whatever it is logged into.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model, e.g. <c>claude-sonnet-4-5</c> or <c>sonnet</c>; null for the CLI's default.</param>
    /// <param name="configure">Changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the client, to pick it among several.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddClaudeCodeChatClient(
        this IServiceCollection services,
        string? modelId = null,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ClaudeCodeOptions();
        configure?.Invoke(options);

        services.AddKeyedSingleton<IChatClient>(serviceId, (provider, _) =>
            new ClaudeCodeChatClient(modelId, options, provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Adds Claude on Microsoft Foundry, through the Claude Code CLI, as a (keyed, when <paramref name="serviceId"/> is
    /// given) singleton <see cref="IChatClient"/>, authenticated with an Azure <see cref="TokenCredential"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The Foundry deployment name of the Claude model.</param>
    /// <param name="foundryEndpoint">The Foundry endpoint, e.g. <c>https://my-resource.services.ai.azure.com/anthropic</c>.</param>
    /// <param name="credential">Gives the tokens; asked before a process starts, cached, and refreshed before expiry.</param>
    /// <param name="configure">Other changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the client, to pick it among several.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddClaudeCodeChatClient(
        this IServiceCollection services,
        string modelId,
        Uri foundryEndpoint,
        TokenCredential credential,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddClaudeCodeChatClient(modelId, FoundryConfiguration.Create(modelId, foundryEndpoint, credential, configure), serviceId);
    }
}
