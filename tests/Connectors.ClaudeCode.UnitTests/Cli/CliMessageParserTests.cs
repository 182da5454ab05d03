// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Cli;

public sealed class CliMessageParserTests
{
    [Fact]
    public void LinesBecomeTypedMessages()
    {
        Assert.IsType<CliAssistantMessage>(CliMessageParser.Parse(CliLines.AssistantText("x")));
        Assert.IsType<CliStreamEvent>(CliMessageParser.Parse(CliLines.TextDelta("x")));
        var result = Assert.IsType<CliResultMessage>(CliMessageParser.Parse(CliLines.Success("x")));
        Assert.Equal(67, result.DurationMs);
        Assert.Equal("end_turn", result.StopReason);
        var request = Assert.IsType<CliControlRequest>(CliMessageParser.Parse("""{"type":"control_request","request_id":"r1","request":{"subtype":"can_use_tool","tool_name":"t"}}"""));
        Assert.Equal("can_use_tool", request.RequestSubtype);
        var response = Assert.IsType<CliControlResponse>(CliMessageParser.Parse("""{"type":"control_response","response":{"subtype":"error","request_id":"r2","error":"nope"}}"""));
        Assert.False(response.IsSuccess);
        Assert.Equal("nope", response.ErrorMessage);
        Assert.Equal("keep_alive", CliMessageParser.Parse("""{"type":"keep_alive"}""").Type);
    }

    [Fact]
    public void SyntheticErrorMessagesAreRecognised()
    {
        var message = (CliAssistantMessage)CliMessageParser.Parse("""{"type":"assistant","message":{"model":"<synthetic>","content":[]},"error":"rate_limit","api_error_status":429}""");

        Assert.True(message.IsSynthetic);
        Assert.Equal(429, message.ApiErrorStatus);
        Assert.Equal("rate_limit", message.Error);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":")]
    public void NonObjectsAndBrokenJsonAreRejected(string line)
    {
        Assert.ThrowsAny<JsonException>(() => CliMessageParser.Parse(line));
    }
}
