// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;

/// <summary>
/// Starts each CLI process with a Foundry token from the app's credential in its environment, taken before the
/// process starts (a credential failure starts nothing), and marks when the process must stop taking calls.
/// </summary>
internal sealed class FoundryConnectionFactory : ICliConnectionFactory
{
    /// <summary>The CLI's variable for a Foundry bearer token (verified on CLI 2.1.328: sent as <c>Authorization: Bearer</c>).</summary>
    public const string TokenVariable = "ANTHROPIC_FOUNDRY_AUTH_TOKEN";

    private readonly ICliConnectionFactory _inner;
    private readonly FoundryTokenSource _tokens;

    public FoundryConnectionFactory(ICliConnectionFactory inner, FoundryTokenSource tokens)
    {
        this._inner = inner;
        this._tokens = tokens;
    }

    public async Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
    {
        var token = await this._tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);

        // The token is not part of the spec the caller keeps: a session's shape must not change when the token does.
        var withToken = spec.WithEnvironment(TokenVariable, token.Token);
        var connection = await this._inner.StartAsync(withToken, cancellationToken).ConfigureAwait(false);
        connection.RetireAt = this._tokens.RetireAt(token);
        return connection;
    }
}
