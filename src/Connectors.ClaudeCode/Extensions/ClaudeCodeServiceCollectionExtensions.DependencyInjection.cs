// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
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
}
