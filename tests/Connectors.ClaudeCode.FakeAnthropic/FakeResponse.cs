// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>What the fake answers to one request: a message (streamed or not), an HTTP error, or a broken body.</summary>
public sealed class FakeResponse
{
    /// <summary>The content blocks, in order.</summary>
    public List<FakeBlock> Blocks { get; } = [];

    /// <summary>The <c>stop_reason</c>; null picks <c>tool_use</c> when there is a tool call, else <c>end_turn</c>.</summary>
    public string? StopReason { get; set; }

    /// <summary>The <c>stop_sequence</c> reported with <c>stop_reason:"stop_sequence"</c>.</summary>
    public string? StopSequence { get; set; }

    /// <summary>The model named in the answer; null echoes the request's model.</summary>
    public string? Model { get; set; }

    /// <summary>Uncached input tokens.</summary>
    public int InputTokens { get; set; } = 100;

    /// <summary>Output tokens.</summary>
    public int OutputTokens { get; set; } = 7;

    /// <summary>Input tokens read from the prompt cache.</summary>
    public int CacheReadInputTokens { get; set; } = 22;

    /// <summary>Input tokens written to the prompt cache.</summary>
    public int CacheCreationInputTokens { get; set; } = 11;

    /// <summary>Characters per text or thinking delta when streaming.</summary>
    public int ChunkSize { get; set; } = 4;

    /// <summary>A pause before the answer starts.</summary>
    public TimeSpan DelayBeforeResponse { get; set; }

    /// <summary>A pause between streamed events.</summary>
    public TimeSpan DelayBetweenEvents { get; set; }

    /// <summary>A pause after the first delta of the first block: the stream has visibly started, then stalls.</summary>
    public TimeSpan PauseAfterFirstDelta { get; set; }

    /// <summary>Extra response headers (for example the <c>anthropic-ratelimit-unified-*</c> family).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Non-null: answer with this HTTP status and an Anthropic error body.</summary>
    public int? ErrorStatus { get; set; }

    /// <summary>The error type of an error answer (<c>invalid_request_error</c>, <c>overloaded_error</c>, …).</summary>
    public string ErrorType { get; set; } = "api_error";

    /// <summary>The error message of an error answer.</summary>
    public string ErrorMessage { get; set; } = "scripted error";

    /// <summary>Answer a streaming request with SSE whose data is not JSON, and a non-streaming one with cut-off JSON.</summary>
    public bool Malformed { get; set; }

    /// <summary>When set, the connection is dropped after this many content deltas (the client sees a broken stream).</summary>
    public int? CutAfterDeltas { get; set; }

    /// <summary>When set, an SSE <c>error</c> event of <see cref="ErrorType"/> ends the stream after this many content deltas.</summary>
    public int? ErrorEventAfterDeltas { get; set; }

    /// <summary>When true, the stream ends after <c>message_delta</c> without its <c>message_stop</c> event.</summary>
    public bool OmitMessageStop { get; set; }

    /// <summary>A text answer.</summary>
    public static FakeResponse Text(string text) => new() { Blocks = { FakeBlock.TextBlock(text) } };

    /// <summary>An answer that reports the first tool result of <paramref name="request"/>: <c>RESULT error=&lt;is_error&gt;: &lt;text&gt;</c>.</summary>
    public static FakeResponse ReportToolResult(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = request.LastToolResults[0];
        return Text("RESULT error=" + (result["is_error"]?.GetValue<bool>() ?? false) + ": " + RecordedRequest.ResultText(result));
    }

    /// <summary>An answer with thinking, then text.</summary>
    public static FakeResponse ThinkingThenText(string thinking, string text) => new() { Blocks = { FakeBlock.ThinkingBlock(thinking), FakeBlock.TextBlock(text) } };

    /// <summary>An answer that calls tools: <c>(id, tool name, input JSON)</c> each, optionally after some text.</summary>
    public static FakeResponse ToolCalls(string? text, params (string Id, string Name, string InputJson)[] calls)
    {
        var response = new FakeResponse();
        if (text is not null)
        {
            response.Blocks.Add(FakeBlock.TextBlock(text));
        }

        foreach (var (id, name, input) in calls)
        {
            response.Blocks.Add(FakeBlock.ToolUseBlock(id, name, input));
        }

        return response;
    }

    /// <summary>An HTTP error answer with an Anthropic error body.</summary>
    public static FakeResponse Error(int status, string type, string message) => new() { ErrorStatus = status, ErrorType = type, ErrorMessage = message };
}
