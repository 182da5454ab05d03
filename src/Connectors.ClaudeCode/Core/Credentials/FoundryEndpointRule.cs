// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Net;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;

/// <summary>What a Foundry endpoint must be: absolute and https, so a token never travels in clear text off this machine.</summary>
internal static class FoundryEndpointRule
{
    public static void Validate(Uri endpoint, string parameterName)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The Foundry endpoint must be an absolute https URL; '{endpoint}' is relative.", parameterName);
        }

        var loopbackHttp = endpoint.Scheme == Uri.UriSchemeHttp && (endpoint.IsLoopback || IPAddress.TryParse(endpoint.Host, out var address) && IPAddress.IsLoopback(address));
        if (endpoint.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            throw new ArgumentException($"The Foundry endpoint must be an https URL (http only for a loopback address); got '{endpoint}'.", parameterName);
        }
    }

    /// <summary>The value for <c>ANTHROPIC_FOUNDRY_BASE_URL</c>: the CLI appends <c>/v1/messages</c> itself.</summary>
    public static string BaseUrl(Uri endpoint) => endpoint.AbsoluteUri.TrimEnd('/');
}
