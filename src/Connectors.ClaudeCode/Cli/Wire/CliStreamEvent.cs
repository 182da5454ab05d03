// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// A <c>stream_event</c> line: one Messages API SSE event, forwarded with <c>--include-partial-messages</c>, parsed once
/// here into the fields the connector reads (each null when the event is of another kind or lacks it).
/// </summary>
internal sealed class CliStreamEvent : CliMessage
{
    public CliStreamEvent(JsonElement raw)
        : base("stream_event", raw)
    {
        var streamEvent = raw.GetPropertyOrNull("event") ?? default;
        this.EventType = streamEvent.GetStringOrNull("type");
        this.ParentToolUseId = raw.GetStringOrNull("parent_tool_use_id");
        switch (this.EventType)
        {
            case "message_start" when streamEvent.GetPropertyOrNull("message") is { } message:
                this.MessageId = message.GetStringOrNull("id");
                this.Model = message.GetStringOrNull("model");
                this.StartUsage = message.GetPropertyOrNull("usage");
                break;

            case "content_block_start":
                this.BlockType = streamEvent.GetPropertyOrNull("content_block")?.GetStringOrNull("type");
                break;

            case "content_block_delta" when streamEvent.GetPropertyOrNull("delta") is { } delta:
                this.DeltaType = delta.GetStringOrNull("type");
                switch (this.DeltaType)
                {
                    case "text_delta":
                        this.DeltaText = delta.GetStringOrNull("text");
                        break;
                    case "thinking_delta":
                        this.DeltaText = delta.GetStringOrNull("thinking");
                        break;
                    case "citations_delta" when delta.GetPropertyOrNull("citation") is { } citation:
                        this.Citation = CliCitation.Parse(citation);
                        break;
                }

                break;

            case "message_delta":
                var messageDelta = streamEvent.GetPropertyOrNull("delta");
                this.StopReason = messageDelta?.GetStringOrNull("stop_reason");
                this.StopSequence = messageDelta?.GetStringOrNull("stop_sequence");
                this.OutputTokens = streamEvent.GetPropertyOrNull("usage")?.GetInt64OrNull("output_tokens");
                break;
        }
    }

    /// <summary>The event's <c>type</c>: <c>message_start</c>, <c>content_block_start</c>, <c>content_block_delta</c>, <c>message_delta</c>, <c>message_stop</c>, ….</summary>
    public string? EventType { get; }

    /// <summary>Non-null for the output of a sub-agent; the connector only surfaces the main conversation.</summary>
    public string? ParentToolUseId { get; }

    /// <summary><c>message_start</c>: the model message's id.</summary>
    public string? MessageId { get; }

    /// <summary><c>message_start</c>: the model that answers.</summary>
    public string? Model { get; }

    /// <summary><c>message_start</c>: the message's usage so far (input and cache tokens), as the API sent it.</summary>
    public JsonElement? StartUsage { get; }

    /// <summary><c>content_block_start</c>: the kind of block that starts (<c>text</c>, <c>tool_use</c>, <c>thinking</c>, …).</summary>
    public string? BlockType { get; }

    /// <summary><c>content_block_delta</c>: the kind of delta (<c>text_delta</c>, <c>thinking_delta</c>, <c>citations_delta</c>, <c>input_json_delta</c>, …).</summary>
    public string? DeltaType { get; }

    /// <summary>The text of a <c>text_delta</c> or the thinking of a <c>thinking_delta</c>.</summary>
    public string? DeltaText { get; }

    /// <summary>The citation of a <c>citations_delta</c>.</summary>
    public CliCitation? Citation { get; }

    /// <summary><c>message_delta</c>: why the model message ended (<c>end_turn</c>, <c>tool_use</c>, <c>max_tokens</c>, …).</summary>
    public string? StopReason { get; }

    /// <summary><c>message_delta</c>: the stop sequence that ended it.</summary>
    public string? StopSequence { get; }

    /// <summary><c>message_delta</c>: the output tokens of the whole message.</summary>
    public long? OutputTokens { get; }
}
