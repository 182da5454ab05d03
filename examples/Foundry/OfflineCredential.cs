// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace Connectors.ClaudeCode.Examples.Foundry;

/// <summary>
/// Stands in for an Azure credential offline: hands out numbered tokens valid for an hour, or fails like a
/// credential with no identity to use.
/// </summary>
internal sealed class OfflineCredential : TokenCredential
{
    private readonly bool _fail;
    private int _issued;

    public OfflineCredential(bool fail = false)
    {
        this._fail = fail;
    }

    /// <summary>How many tokens the connector asked for.</summary>
    public int Issued => Volatile.Read(ref this._issued);

    /// <inheritdoc/>
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => this.GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (this._fail)
        {
            throw new InvalidOperationException("No managed identity endpoint is available (offline stand-in).");
        }

        var number = Interlocked.Increment(ref this._issued);
        var token = "offline-foundry-token-" + number.ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)));
    }
}
