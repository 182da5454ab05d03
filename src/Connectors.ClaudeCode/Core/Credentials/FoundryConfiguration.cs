// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using Azure.Core;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;

/// <summary>What the Foundry overloads of the registration methods share: their checks, and the options they set.</summary>
internal static class FoundryConfiguration
{
    /// <summary>
    /// Checks the arguments (before anything is registered) and returns the configuration to apply: the caller's
    /// changes first, then the endpoint and credential, which the overload's arguments decide.
    /// </summary>
    public static Action<ClaudeCodeOptions> Create(string modelId, Uri foundryEndpoint, TokenCredential credential, Action<ClaudeCodeOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(foundryEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        FoundryEndpointRule.Validate(foundryEndpoint, nameof(foundryEndpoint));
        return options =>
        {
            configure?.Invoke(options);
            options.FoundryEndpoint = foundryEndpoint;
            options.FoundryCredential = credential;
        };
    }
}
