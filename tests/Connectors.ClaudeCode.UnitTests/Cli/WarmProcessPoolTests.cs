// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Cli;

public sealed class WarmProcessPoolTests
{
    private sealed class CountingFactory : ICliConnectionFactory
    {
        public List<ScriptedCliConnection> Started { get; } = [];

        public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
        {
            var connection = new ScriptedCliConnection();
            lock (this.Started)
            {
                this.Started.Add(connection);
            }

            return Task.FromResult<ICliConnection>(connection);
        }
    }

    private static CliLaunchSpec Spec(string model, bool reusable = true)
    {
        var spec = new CliLaunchSpec("/bin/claude") { Reusable = reusable };
        spec.Arguments.Add("--model=" + model);
        return spec;
    }

    [Fact]
    public async Task ACallTakesTheSpareStartedForItsSpecAndAReplacementStarts()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);

        var first = await pool.StartAsync(Spec("a"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();
        Assert.Equal(2, inner.Started.Count);
        Assert.Same(inner.Started[0], first);

        var second = await pool.StartAsync(Spec("a"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();

        Assert.Same(inner.Started[1], second);
        Assert.Equal(3, inner.Started.Count);
        Assert.Equal(1, pool.SpareCount);
    }

    [Fact]
    public async Task ADifferentSpecDoesNotGetAnotherSpecsSpare()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);
        await pool.StartAsync(Spec("a"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();

        var other = await pool.StartAsync(Spec("b"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();

        Assert.Same(inner.Started[2], other);
        Assert.Equal(2, pool.SpareCount);
    }

    [Fact]
    public async Task SpecsForOneCallOnlyAreNeverStartedAhead()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);

        await pool.StartAsync(Spec("a", reusable: false), CancellationToken.None);
        await pool.WhenSparesStartedAsync();

        Assert.Single(inner.Started);
        Assert.Equal(0, pool.SpareCount);
    }

    [Fact]
    public async Task ASpareThatDiedIsNotHandedOut()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);
        await pool.StartAsync(Spec("a"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();
        inner.Started[1].HasExited = true;

        var next = await pool.StartAsync(Spec("a"), CancellationToken.None);

        Assert.NotSame(inner.Started[1], next);
        Assert.True(inner.Started[1].Disposed || inner.Started[1].ShutDown);
    }

    [Fact]
    public async Task IdleSparesEndAfterTheTimeoutAndDisposalEndsTheRest()
    {
        var now = DateTimeOffset.UnixEpoch;
        var inner = new CountingFactory();
        var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance, () => now);
        await pool.StartAsync(Spec("a"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();
        await pool.StartAsync(Spec("b"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();
        var spareA = inner.Started[1];

        now += TimeSpan.FromMinutes(4);
        await pool.EvictIdleAsync();
        Assert.Equal(2, pool.SpareCount);

        now += TimeSpan.FromMinutes(2);
        await pool.EvictIdleAsync();
        Assert.Equal(0, pool.SpareCount);
        Assert.True(spareA.ShutDown && spareA.Disposed);

        await pool.StartAsync(Spec("c"), CancellationToken.None);
        await pool.WhenSparesStartedAsync();
        var spareC = inner.Started[^1];
        await pool.DisposeAsync();

        Assert.True(spareC.ShutDown && spareC.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.StartAsync(Spec("a"), CancellationToken.None));
    }
}
