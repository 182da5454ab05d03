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

    /// <summary>Starts a call's connection and ends the call, which lets the pool start the replacement.</summary>
    private static async Task CallAsync(WarmProcessPool pool, string model, bool reusable = true)
    {
        var connection = await pool.StartAsync(Spec(model, reusable), CancellationToken.None);
        await connection.DisposeAsync();
        await pool.WhenSparesStartedAsync();
    }

    [Fact]
    public async Task ACallTakesTheSpareStartedForItsSpecAndTheReplacementStartsWhenItEnds()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);

        await CallAsync(pool, "a");
        Assert.Equal(2, inner.Started.Count);
        Assert.Equal(1, pool.SpareCount);

        var second = await pool.StartAsync(Spec("a"), CancellationToken.None);

        // Taken from the spares, and no replacement yet: it would compete with the call for the CPU.
        Assert.Equal(2, inner.Started.Count);
        Assert.Equal(0, pool.SpareCount);
        await second.DisposeAsync();
        await pool.WhenSparesStartedAsync();
        Assert.Equal(3, inner.Started.Count);
        Assert.Equal(1, pool.SpareCount);
        Assert.True(inner.Started[1].Disposed);
    }

    [Fact]
    public async Task ADifferentSpecDoesNotGetAnotherSpecsSpare()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);
        await CallAsync(pool, "a");

        await CallAsync(pool, "b");

        Assert.Equal(4, inner.Started.Count);
        Assert.Equal(2, pool.SpareCount);
    }

    [Fact]
    public async Task SpecsForOneCallOnlyAreNeverStartedAhead()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);

        await CallAsync(pool, "a", reusable: false);

        Assert.Single(inner.Started);
        Assert.Equal(0, pool.SpareCount);
    }

    [Fact]
    public async Task ASpareIsInitializedAheadWithTheSpecsRequest()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);
        var spec = new CliLaunchSpec("/bin/claude") { InitializeRequest = new System.Text.Json.Nodes.JsonObject { ["subtype"] = "initialize" } };

        await (await pool.StartAsync(spec, CancellationToken.None)).DisposeAsync();
        await pool.WhenSparesStartedAsync();

        var spare = inner.Started[1];
        Assert.NotNull(spare.InitializeResponse);
        Assert.Contains(spare.Sent, line => line["request"]?["subtype"]?.GetValue<string>() == "initialize");
        Assert.Null(inner.Started[0].InitializeResponse);
    }

    [Fact]
    public async Task ASpareThatDiedIsNotHandedOut()
    {
        var inner = new CountingFactory();
        await using var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance);
        await CallAsync(pool, "a");
        inner.Started[1].HasExited = true;

        await pool.StartAsync(Spec("a"), CancellationToken.None);

        Assert.Equal(3, inner.Started.Count);
        Assert.True(inner.Started[1].ShutDown);
    }

    [Fact]
    public async Task IdleSparesEndAfterTheTimeoutAndDisposalEndsTheRest()
    {
        var now = DateTimeOffset.UnixEpoch;
        var inner = new CountingFactory();
        var pool = new WarmProcessPool(inner, 1, TimeSpan.FromMinutes(5), NullLogger.Instance, () => now);
        await CallAsync(pool, "a");
        await CallAsync(pool, "b");
        var spareA = inner.Started[1];

        now += TimeSpan.FromMinutes(4);
        await pool.EvictIdleAsync();
        Assert.Equal(2, pool.SpareCount);

        now += TimeSpan.FromMinutes(2);
        await pool.EvictIdleAsync();
        Assert.Equal(0, pool.SpareCount);
        Assert.True(spareA.ShutDown && spareA.Disposed);

        await CallAsync(pool, "c");
        var spareC = inner.Started[^1];
        await pool.DisposeAsync();

        Assert.True(spareC.ShutDown && spareC.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.StartAsync(Spec("a"), CancellationToken.None));
    }
}
