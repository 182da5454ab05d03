// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Spots the model responses after which the CLI would ask the model to go on by itself, adding a message of its own
/// to the conversation: a response cut at the output limit (<c>max_tokens</c>), a refusal, and a response with nothing
/// visible in it (observed on CLI 2.1.328: "Output token limit hit…", "Your response above was stopped by a safety
/// classifier…", "[Your previous response had no visible output…]"). A chat caller expects that response, with its
/// finish reason, so the connector ends the turn there.
/// </summary>
internal sealed class SelfContinuationWatch
{
    private int _visibleBlocks;

    /// <summary>Follows one stream event; returns the stop reason when this event ends a response the turn must stop at.</summary>
    public string? EndsTurn(CliStreamEvent streamEvent)
    {
        switch (streamEvent.EventType)
        {
            case "message_start":
                this._visibleBlocks = 0;
                return null;
            case "content_block_start" when streamEvent.BlockType is "text" or "tool_use":
                this._visibleBlocks++;
                return null;
            case "message_delta":
                return streamEvent.StopReason switch
                {
                    "max_tokens" => "max_tokens",
                    "refusal" => "refusal",
                    "end_turn" when this._visibleBlocks == 0 => "end_turn",
                    _ => null,
                };
            default:
                return null;
        }
    }
}
