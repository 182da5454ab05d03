// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>stream_event</c> line: one raw Messages API SSE event, forwarded with <c>--include-partial-messages</c>.</summary>
internal sealed class CliStreamEvent : CliMessage
{
    public CliStreamEvent(JsonElement raw)
        : base("stream_event", raw)
    {
        this.Event = raw.GetPropertyOrNull("event") ?? default;
    }

    /// <summary>The SSE event object (<c>message_start</c>, <c>content_block_delta</c>, …).</summary>
    public JsonElement Event { get; }

    public string? EventType => this.Event.GetStringOrNull("type");

    public string? ParentToolUseId => this.Raw.GetStringOrNull("parent_tool_use_id");
}
