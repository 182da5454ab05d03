// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Linq;
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

    [Fact]
    public void StreamEventsAreParsedOnceIntoTheFieldsOfTheirKind()
    {
        static CliStreamEvent Parse(string streamEvent, string parent = "null")
            => Assert.IsType<CliStreamEvent>(CliMessageParser.Parse($$"""{"type":"stream_event","event":{{streamEvent}},"parent_tool_use_id":{{parent}}}"""));

        var start = Parse("""{"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":12}}}""");
        Assert.Equal(("message_start", "msg_1", "claude-x"), (start.EventType, start.MessageId, start.Model));
        Assert.Equal(12, start.StartUsage!.Value.GetProperty("input_tokens").GetInt32());
        Assert.Null(start.StopReason);

        Assert.Equal("tool_use", Parse("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t"}}""").BlockType);

        var text = Parse("""{"type":"content_block_delta","delta":{"type":"text_delta","text":"Hel"}}""");
        Assert.Equal(("text_delta", "Hel"), (text.DeltaType, text.DeltaText));
        var thinking = Parse("""{"type":"content_block_delta","delta":{"type":"thinking_delta","thinking":"hmm"}}""");
        Assert.Equal(("thinking_delta", "hmm"), (thinking.DeltaType, thinking.DeltaText));
        var cited = Parse("""{"type":"content_block_delta","delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"c","document_index":0,"start_char_index":1,"end_char_index":2}}}""");
        Assert.Equal("c", cited.Citation!.CitedText);
        Assert.Null(cited.DeltaText);

        var delta = Parse("""{"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":7}}""");
        Assert.Equal(("stop_sequence", "END", 7L), (delta.StopReason, delta.StopSequence, delta.OutputTokens));
        Assert.Null(delta.MessageId);

        Assert.Equal("toolu_1", Parse("""{"type":"message_stop"}""", "\"toolu_1\"").ParentToolUseId);
    }

    [Fact]
    public void TheClisUserLinesCarryTheirToolResultsAsTypedBlocks()
    {
        var user = Assert.IsType<CliUserMessage>(CliMessageParser.Parse("""
            {"type":"user","parent_tool_use_id":null,"tool_use_result":{"query":"q"},"message":{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":"plain"},
              {"type":"tool_result","tool_use_id":"t2","is_error":true,"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
              {"type":"text","text":"other"}]}}
            """));

        var results = user.Blocks.OfType<CliToolResultBlock>().ToList();
        Assert.Equal([("t1", "plain", false), ("t2", "ab", true)], results.Select(r => (r.ToolUseId, r.Text, r.IsError)));
        Assert.IsType<CliTextBlock>(user.Blocks[2]);
        Assert.Equal("q", user.ToolUseResult!.Value.GetProperty("query").GetString());
        Assert.Null(user.ParentToolUseId);
    }

    [Fact]
    public void RateLimitEventsAndApiRetriesAreTyped()
    {
        var rateLimit = Assert.IsType<CliRateLimitEvent>(CliMessageParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning","resetsAt":1767225600,"rateLimitType":"five_hour","utilization":0.9,"isUsingOverage":false}}"""));
        Assert.Equal(("allowed_warning", "five_hour", 0.9, false), (rateLimit.Status, rateLimit.Window, rateLimit.Utilization, rateLimit.IsUsingOverage));
        Assert.Equal(System.DateTimeOffset.FromUnixTimeSeconds(1767225600), rateLimit.ResetsAt);
        Assert.Equal(System.DateTimeOffset.Parse("2026-01-01T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Assert.IsType<CliRateLimitEvent>(CliMessageParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{"resetsAt":"2026-01-01T05:00:00Z"}}""")).ResetsAt);

        var retry = Assert.IsType<CliApiRetry>(CliMessageParser.Parse("""{"type":"system","subtype":"api_retry","error_status":529,"error":"overloaded","retry_delay_ms":1200,"attempt":1,"max_retries":2}"""));
        Assert.Equal((529L, "overloaded", System.TimeSpan.FromMilliseconds(1200), 1L, 2L), (retry.ErrorStatus, retry.Error, retry.RetryDelay, retry.Attempt, retry.MaxRetries));

        // Other system lines stay plain.
        Assert.Equal(typeof(CliMessage), CliMessageParser.Parse("""{"type":"system","subtype":"init"}""").GetType());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":")]
    public void NonObjectsAndBrokenJsonAreRejected(string line)
    {
        Assert.ThrowsAny<JsonException>(() => CliMessageParser.Parse(line));
    }
}
