// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using Azure.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Microsoft.SemanticKernel;

/// <summary>Adds the Claude Code chat completion service to an <see cref="IKernelBuilder"/>.</summary>
public static class ClaudeCodeKernelBuilderExtensions
{
    /// <summary>
    /// Adds Claude through the Claude Code CLI as an <see cref="ChatCompletion.IChatCompletionService"/>. With no
    /// configuration the CLI is found on PATH and uses whatever it is logged into.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, e.g. <c>claude-sonnet-4-5</c> or <c>sonnet</c>; null for the CLI's default.</param>
    /// <param name="configure">Changes to the <see cref="ClaudeCodeOptions"/> (CLI path, working directory, environment, …).</param>
    /// <param name="serviceId">A key for the service, to pick it among several.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddClaudeCodeChatCompletion(
        this IKernelBuilder builder,
        string? modelId = null,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddClaudeCodeChatCompletion(modelId, configure, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds Claude through the Claude Code CLI as a Microsoft.Extensions.AI <see cref="Microsoft.Extensions.AI.IChatClient"/>,
    /// which the kernel also uses for prompt functions.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, e.g. <c>claude-sonnet-4-5</c> or <c>sonnet</c>; null for the CLI's default.</param>
    /// <param name="configure">Changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the client, to pick it among several.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddClaudeCodeChatClient(
        this IKernelBuilder builder,
        string? modelId = null,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Microsoft.Extensions.DependencyInjection.ClaudeCodeChatClientServiceCollectionExtensions.AddClaudeCodeChatClient(builder.Services, modelId, configure, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds Claude on Microsoft Foundry, through the Claude Code CLI, as an <see cref="ChatCompletion.IChatCompletionService"/>,
    /// authenticated with an Azure <see cref="TokenCredential"/> (e.g. <c>DefaultAzureCredential</c>).
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The Foundry deployment name of the Claude model.</param>
    /// <param name="foundryEndpoint">The Foundry endpoint, e.g. <c>https://my-resource.services.ai.azure.com/anthropic</c>.</param>
    /// <param name="credential">Gives the tokens; asked before a process starts, cached, and refreshed before expiry.</param>
    /// <param name="configure">Other changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the service, to pick it among several.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddClaudeCodeChatCompletion(
        this IKernelBuilder builder,
        string modelId,
        Uri foundryEndpoint,
        TokenCredential credential,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddClaudeCodeChatCompletion(modelId, foundryEndpoint, credential, configure, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds Claude on Microsoft Foundry, through the Claude Code CLI, as a Microsoft.Extensions.AI
    /// <see cref="Microsoft.Extensions.AI.IChatClient"/>, authenticated with an Azure <see cref="TokenCredential"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The Foundry deployment name of the Claude model.</param>
    /// <param name="foundryEndpoint">The Foundry endpoint, e.g. <c>https://my-resource.services.ai.azure.com/anthropic</c>.</param>
    /// <param name="credential">Gives the tokens; asked before a process starts, cached, and refreshed before expiry.</param>
    /// <param name="configure">Other changes to the <see cref="ClaudeCodeOptions"/>.</param>
    /// <param name="serviceId">A key for the client, to pick it among several.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddClaudeCodeChatClient(
        this IKernelBuilder builder,
        string modelId,
        Uri foundryEndpoint,
        TokenCredential credential,
        Action<ClaudeCodeOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Microsoft.Extensions.DependencyInjection.ClaudeCodeChatClientServiceCollectionExtensions.AddClaudeCodeChatClient(builder.Services, modelId, foundryEndpoint, credential, configure, serviceId);
        return builder;
    }
}
