// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;

/// <summary>
/// Tokens for Microsoft Foundry from the app's <see cref="TokenCredential"/>: one cached token, shared by every
/// process the service starts, and a new one asked for (by one caller at a time) once the cached one could expire
/// during a call or the credential says to refresh it.
/// </summary>
internal sealed class FoundryTokenSource : IDisposable
{
    /// <summary>How long a call may take when <see cref="ClaudeCodeOptions.RequestTimeout"/> does not say.</summary>
    public static readonly TimeSpan DefaultCallLifetime = TimeSpan.FromMinutes(10);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken? _cached;

    public FoundryTokenSource(TokenCredential credential, string scope, TimeSpan callLifetime, TimeProvider time, ILogger logger)
    {
        this._credential = credential;
        this._context = new TokenRequestContext([scope]);
        this.CallLifetime = callLifetime;
        this._time = time;
        this._logger = logger;
    }

    /// <summary>The time a token must still be valid for when a process holding it starts a call.</summary>
    public TimeSpan CallLifetime { get; }

    /// <summary>
    /// A token valid for at least a call, from the cache or the credential. A credential failure becomes
    /// <see cref="ClaudeCodeAuthenticationException"/>; cancellation stays <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (this.Fresh(this._cached) is { } cached)
        {
            return cached;
        }

        await this._refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed it while this one waited.
            if (this.Fresh(this._cached) is { } refreshed)
            {
                return refreshed;
            }

            AccessToken token;
            try
            {
                token = await this._credential.GetTokenAsync(this._context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw new ClaudeCodeAuthenticationException(
                    $"The Azure credential ({this._credential.GetType().Name}) gave no token for '{this._context.Scopes[0]}', so no Claude Code process was started: {ex.Message}", ex);
            }

            if (string.IsNullOrEmpty(token.Token))
            {
                throw new ClaudeCodeAuthenticationException(
                    $"The Azure credential ({this._credential.GetType().Name}) returned an empty token for '{this._context.Scopes[0]}'.");
            }

            if (token.ExpiresOn - this._time.GetUtcNow() < this.CallLifetime)
            {
                this._logger.LogWarning(
                    "The Azure credential's token expires at {ExpiresOn:O}, sooner than a call may take ({CallLifetime}); a long call may fail with 401.",
                    token.ExpiresOn, this.CallLifetime);
            }

            this._cached = token;
            return token;
        }
        finally
        {
            this._refresh.Release();
        }
    }

    /// <summary>The time after which a process holding <paramref name="token"/> must not start another call.</summary>
    public DateTimeOffset RetireAt(AccessToken token) => token.ExpiresOn - this.CallLifetime;

    public void Dispose() => this._refresh.Dispose();

    private AccessToken? Fresh(AccessToken? token)
    {
        if (token is not { } value)
        {
            return null;
        }

        var now = this._time.GetUtcNow();
        var refreshDue = value.RefreshOn is { } refreshOn && refreshOn <= now;
        return !refreshDue && value.ExpiresOn - now > this.CallLifetime ? value : null;
    }
}
