// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Net;
using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core;

public sealed class ErrorMapperTests
{
    private static CliResultMessage Result(string json) => (CliResultMessage)CliMessageParser.Parse(json);

    [Fact]
    public void ARateLimitCarriesTheResetTimeOfTheLatestRateLimitEvent()
    {
        var rateLimit = (CliRateLimitEvent)CliMessageParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1767225600,"rateLimitType":"five_hour"}}""");

        var error = ErrorMapper.FromErrorResult(Result(CliLines.ErrorResult(429, "Request rejected (429)")), null, rateLimit, "tail");

        var rateLimited = Assert.IsType<ClaudeCodeRateLimitException>(error);
        Assert.Equal(HttpStatusCode.TooManyRequests, rateLimited.StatusCode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), rateLimited.ResetsAt);
    }

    [Fact]
    public void NotLoggedInIsRecognisedFromTheSyntheticMessage()
    {
        var synthetic = (CliAssistantMessage)CliMessageParser.Parse("""{"type":"assistant","message":{"model":"<synthetic>","content":[{"type":"text","text":"Not logged in · Please run /login"}]},"error":"authentication_failed","is_api_error_message":true}""");

        var error = ErrorMapper.FromErrorResult(Result(CliLines.ErrorResult(null, "Not logged in · Please run /login")), synthetic, null, string.Empty);

        Assert.IsType<ClaudeCodeNotLoggedInException>(error);
    }

    [Fact]
    public void AnApiFailureWithoutStatusIsStillAnApiException()
    {
        var error = ErrorMapper.FromErrorResult(Result(CliLines.ErrorResult(null, "API Error: Connection refused")), null, null, string.Empty);

        var api = Assert.IsType<ClaudeCodeApiException>(error);
        Assert.Null(api.StatusCode);
        Assert.Contains("Connection refused", api.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxTurnsIsATurnExceptionWithSubtypeAndReason()
    {
        var error = ErrorMapper.FromErrorResult(
            Result("""{"type":"result","subtype":"error_max_turns","is_error":true,"terminal_reason":"max_turns","errors":["Reached maximum number of turns (1)"]}"""),
            null,
            null,
            string.Empty);

        var turn = Assert.IsType<ClaudeCodeTurnException>(error);
        Assert.Equal("error_max_turns", turn.Subtype);
        Assert.Equal("max_turns", turn.TerminalReason);
        Assert.Contains("Reached maximum number of turns (1)", turn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransportFailuresMapToPublicTypes()
    {
        Assert.IsType<ClaudeCodeCliNotFoundException>(ErrorMapper.FromCliException(new CliNotFoundException("nope", "/x")));
        Assert.Equal(9, Assert.IsType<ClaudeCodeProcessException>(ErrorMapper.FromCliException(new CliProcessExitedException("died", 9, "err"))).ExitCode);
        Assert.Equal("{x", Assert.IsType<ClaudeCodeProtocolException>(ErrorMapper.FromCliException(new CliProtocolException("bad", "{x"))).OffendingLine);
    }
}
