// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class StreamedTextGuardTests
{
    [Fact]
    public void AStreamRestartedFromItsStartPassesOnOnlyWhatIsNew()
    {
        var guard = new StreamedTextGuard();
        guard.MessageStarted("m1");
        Assert.Equal("ab", guard.Delta("ab"));
        Assert.Equal("c", guard.Delta("c"));

        // The connection broke; the CLI streams the answer again under a new message.
        guard.MessageStarted("m2");
        Assert.Equal(string.Empty, guard.Delta("a"));
        Assert.Equal("d", guard.Delta("bcd"));
        Assert.Equal("e", guard.Delta("e"));
        Assert.Equal(string.Empty, guard.Completed("m2", "abcde"));
    }

    [Fact]
    public void AMessageAskedForWithoutStreamingFillsInWhatTheStreamMissed()
    {
        var guard = new StreamedTextGuard();
        guard.MessageStarted("m1");
        guard.Delta("tok0 ");

        Assert.Equal("tok1 tok2", guard.Completed("m2", "tok0 tok1 tok2"));

        // The next response starts afresh.
        guard.MessageStarted("m3");
        Assert.Equal("next", guard.Delta("next"));
    }

    [Fact]
    public void ADifferentAnswerIsATypedErrorCarryingTheTextSoFar()
    {
        var guard = new StreamedTextGuard();
        guard.MessageStarted("m1");
        guard.Delta("hello ");
        guard.MessageStarted("m2");

        var error = Assert.Throws<ClaudeCodeStreamRestartedException>(() => guard.Delta("howdy"));
        Assert.Equal("hello ", error.TextSoFar);

        var other = new StreamedTextGuard();
        other.MessageStarted("m1");
        other.Delta("yes");
        Assert.Throws<ClaudeCodeStreamRestartedException>(() => other.Completed("m9", "no"));
    }

    [Fact]
    public void ResponsesThatEndNormallyDoNotCarryOver()
    {
        var guard = new StreamedTextGuard();
        guard.MessageStarted("m1");
        guard.Delta("first");
        Assert.Equal(string.Empty, guard.Completed("m1", "first"));
        guard.MessageStopped();

        guard.MessageStarted("m2");
        Assert.Equal("first", guard.Delta("first"));
    }
}
