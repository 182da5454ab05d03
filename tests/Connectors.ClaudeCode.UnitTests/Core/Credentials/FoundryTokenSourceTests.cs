// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;
using Moq;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core.Credentials;

public sealed class FoundryTokenSourceTests
{
    private static readonly TimeSpan s_callLifetime = TimeSpan.FromMinutes(10);
    private readonly ManualTimeProvider _clock = new();
    private readonly Mock<TokenCredential> _credential = new(MockBehavior.Strict);

    private FoundryTokenSource CreateSource() => new(this._credential.Object, "scope/.default", s_callLifetime, this._clock, NullLogger.Instance);

    private void IssueTokens(params (string Token, TimeSpan ValidFor, TimeSpan? RefreshIn)[] tokens)
    {
        var sequence = this._credential.SetupSequence(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()));
        foreach (var (token, validFor, refreshIn) in tokens)
        {
            sequence = sequence.ReturnsAsync(() => new AccessToken(token, this._clock.Now + validFor, this._clock.Now + refreshIn, "Bearer"));
        }
    }

    [Fact]
    public async Task ATokenIsReusedUntilItCouldExpireDuringACallAsync()
    {
        this.IssueTokens(("one", TimeSpan.FromMinutes(60), null), ("two", TimeSpan.FromMinutes(60), null));
        using var source = this.CreateSource();

        var first = await source.GetTokenAsync(CancellationToken.None);
        this._clock.Now += TimeSpan.FromMinutes(49);
        var stillFirst = await source.GetTokenAsync(CancellationToken.None);
        this._clock.Now += TimeSpan.FromMinutes(2);
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(["one", "one", "two"], new[] { first.Token, stillFirst.Token, second.Token });
        Assert.Equal(second.ExpiresOn - s_callLifetime, source.RetireAt(second));
    }

    [Fact]
    public async Task TheCredentialsRefreshHintIsHonouredAsync()
    {
        this.IssueTokens(("one", TimeSpan.FromHours(24), TimeSpan.FromMinutes(30)), ("two", TimeSpan.FromHours(24), null));
        using var source = this.CreateSource();

        await source.GetTokenAsync(CancellationToken.None);
        this._clock.Now += TimeSpan.FromMinutes(31);
        var refreshed = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("two", refreshed.Token);
    }

    [Fact]
    public async Task ConcurrentCallersShareOneRequestToTheCredentialAsync()
    {
        var release = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        this._credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                Interlocked.Increment(ref calls);
                return new ValueTask<AccessToken>(release.Task);
            });
        using var source = this.CreateSource();

        var waiting = Enumerable.Range(0, 8).Select(_ => source.GetTokenAsync(CancellationToken.None)).ToArray();
        release.SetResult(new AccessToken("shared", this._clock.Now.AddHours(1)));
        var tokens = await Task.WhenAll(waiting);

        Assert.All(tokens, t => Assert.Equal("shared", t.Token));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AFailingCredentialBecomesATypedExceptionAndCancellationStaysCancellationAsync()
    {
        var failure = new InvalidOperationException("no managed identity endpoint");
        this._credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        using var source = this.CreateSource();

        var ex = await Assert.ThrowsAsync<ClaudeCodeAuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
        Assert.Same(failure, ex.InnerException);
        Assert.Contains("scope/.default", ex.Message, StringComparison.Ordinal);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.GetTokenAsync(cancelled.Token));
    }

    [Fact]
    public async Task AnEmptyTokenIsRefusedAsync()
    {
        this.IssueTokens((string.Empty, TimeSpan.FromHours(1), null));
        using var source = this.CreateSource();

        await Assert.ThrowsAsync<ClaudeCodeAuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
    }
}
