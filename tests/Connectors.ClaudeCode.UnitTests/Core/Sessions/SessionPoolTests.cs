// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core.Sessions;

public sealed class SessionPoolTests
{
    private static SessionPool Pool(int maxProcesses = 2, int maxLive = 4)
        => new(maxProcesses, maxLive, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100), NullLogger.Instance);

    private static ConversationTranscript Transcript(params string[] userMessages)
    {
        var history = new ChatHistory();
        foreach (var message in userMessages)
        {
            history.AddUserMessage(message);
        }

        return ConversationTranscript.Of(ChatHistoryConverter.ConvertTurns(history));
    }

    [Fact]
    public async Task AParkedSessionIsTakenOnlyByARequestOfTheSameShapeThatContinuesItAsync()
    {
        await using var pool = Pool();
        await pool.AcquireAsync(CancellationToken.None);
        var connection = new ScriptedCliConnection();
        pool.Park(new LiveSession("id", connection, "shape", Transcript("a")));

        Assert.Null(pool.TryTake("other shape", Transcript("a", "b")));
        Assert.Null(pool.TryTake("shape", Transcript("a")));
        Assert.Null(pool.TryTake("shape", Transcript("x", "b")));
        var taken = pool.TryTake("shape", Transcript("a", "b"));

        Assert.Same(connection, taken!.Connection);
        Assert.Null(pool.TryTake("shape", Transcript("a", "b")));
        Assert.False(connection.ShutDown);
    }

    [Fact]
    public async Task ASessionWhoseProcessDiedIsEndedNotHandedOutAsync()
    {
        await using var pool = Pool();
        await pool.AcquireAsync(CancellationToken.None);
        var connection = new ScriptedCliConnection();
        pool.Park(new LiveSession("id", connection, "shape", Transcript("a")));
        connection.HasExited = true;

        Assert.Null(pool.TryTake("shape", Transcript("a", "b")));
        Assert.Equal(0, pool.IdleCount);

        // Its permit came back: two new processes fit in a budget of two.
        await pool.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await pool.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AFullBudgetEndsTheLeastRecentlyUsedIdleSessionThenMakesCallersWaitInLineAsync()
    {
        await using var pool = Pool(maxProcesses: 2);
        var older = new ScriptedCliConnection();
        var newer = new ScriptedCliConnection();
        await pool.AcquireAsync(CancellationToken.None);
        pool.Park(new LiveSession("id-older", older, "shape", Transcript("old")));
        await pool.AcquireAsync(CancellationToken.None);
        pool.Park(new LiveSession("id-newer", newer, "shape", Transcript("new")));

        await pool.AcquireAsync(CancellationToken.None);
        Assert.True(older.ShutDown);
        Assert.False(newer.ShutDown);

        await pool.AcquireAsync(CancellationToken.None);
        Assert.True(newer.ShutDown);

        using var cancel = new CancellationTokenSource();
        var waiting = pool.AcquireAsync(cancel.Token);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        var next = pool.AcquireAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        pool.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ASessionFinishedWhileCallersWaitIsEndedAndItsPermitPassesOnAsync()
    {
        await using var pool = Pool(maxProcesses: 1);
        await pool.AcquireAsync(CancellationToken.None);
        var waiting = pool.AcquireAsync(CancellationToken.None);
        var connection = new ScriptedCliConnection();

        pool.Park(new LiveSession("id", connection, "shape", Transcript("a")));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(connection.ShutDown);
        Assert.Equal(0, pool.IdleCount);
    }

    [Fact]
    public async Task MoreLiveSessionsThanTheLimitEndTheOldestAndDisposeEndsTheRestAsync()
    {
        var pool = Pool(maxProcesses: 4, maxLive: 1);
        var first = new ScriptedCliConnection();
        var second = new ScriptedCliConnection();
        await pool.AcquireAsync(CancellationToken.None);
        pool.Park(new LiveSession("id-first", first, "shape", Transcript("1")));
        await pool.AcquireAsync(CancellationToken.None);
        pool.Park(new LiveSession("id-second", second, "shape", Transcript("2")));

        Assert.Equal(1, pool.IdleCount);
        await pool.DisposeAsync();

        Assert.True(first.ShutDown);
        Assert.True(second.ShutDown);
        var late = new ScriptedCliConnection();
        pool.Park(new LiveSession("id-late", late, "shape", Transcript("3")));
        Assert.True(late.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.AcquireAsync(CancellationToken.None));
    }
}
