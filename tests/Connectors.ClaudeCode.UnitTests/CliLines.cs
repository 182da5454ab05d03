// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Connectors.ClaudeCode.UnitTests;

/// <summary>Canned stream-json lines, shaped as the CLI 2.1.328 writes them.</summary>
internal static class CliLines
{
    public const string SystemInit = """{"type":"system","subtype":"init","session_id":"sess-1","model":"claude-sonnet-4-5"}""";

    public const string MessageStart = """{"type":"stream_event","event":{"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":10}}},"session_id":"sess-1","parent_tool_use_id":null}""";

    public static string TextDelta(string text)
        => $$$"""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}}},"session_id":"sess-1","parent_tool_use_id":null}""";

    public static string ThinkingDelta(string text)
        => $$$"""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}}},"session_id":"sess-1","parent_tool_use_id":null}""";

    public static string AssistantText(string text)
        => $$$"""{"type":"assistant","message":{"id":"msg_1","model":"claude-sonnet-4-5","role":"assistant","content":[{"type":"text","text":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}}]},"session_id":"sess-1","parent_tool_use_id":null}""";

    public static string AssistantThinking(string text)
        => $$$"""{"type":"assistant","message":{"id":"msg_1","model":"claude-sonnet-4-5","role":"assistant","content":[{"type":"thinking","thinking":{{{System.Text.Json.JsonSerializer.Serialize(text)}}},"signature":"c2ln"}]},"session_id":"sess-1","parent_tool_use_id":null}""";

    public static string Success(string text)
        => $$$"""{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":{{{System.Text.Json.JsonSerializer.Serialize(text)}}},"stop_reason":"end_turn","terminal_reason":"completed","session_id":"sess-1","duration_ms":67,"duration_api_ms":18,"total_cost_usd":0.0006,"usage":{"input_tokens":100,"cache_creation_input_tokens":11,"cache_read_input_tokens":22,"output_tokens":7},"modelUsage":{"claude-sonnet-4-5":{"inputTokens":100,"outputTokens":7,"costUSD":0.0006}} }""";

    public static string ErrorResult(int? status, string text)
        => $$$"""{"type":"result","subtype":"success","is_error":true,"num_turns":1,"result":{{{System.Text.Json.JsonSerializer.Serialize(text)}}},"terminal_reason":"api_error","api_error_status":{{{(status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")}}},"session_id":"sess-1"}""";
}
