// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The model messages of one turn, gathered once from the CLI's output on the transport's reading thread (so a
/// permission request for a call always finds the message that made it), and read from any thread as copies: the
/// turn's result, the function-calling bridge and the live session's transcript all see the same blocks. After the
/// turn was stopped at a message (the output limit, a refusal), the CLI's own continuation is left out.
/// </summary>
internal sealed class TurnTranscript
{
    private readonly object _gate = new();
    private readonly List<AssistantTurnMessage> _messages = [];
    private string? _currentMessageId;
    private string? _stoppedMessageId;

    /// <summary>Takes in a CLI message (reading thread): a model message's start, or its content blocks.</summary>
    public void Observe(CliMessage message)
    {
        switch (message)
        {
            case CliStreamEvent { ParentToolUseId: null, EventType: "message_start" } start:
                lock (this._gate)
                {
                    this._currentMessageId = start.MessageId;
                }

                break;

            case CliAssistantMessage { ParentToolUseId: null, IsSynthetic: false } assistant when assistant.Blocks.Count > 0:
                lock (this._gate)
                {
                    if (this._stoppedMessageId is not null && assistant.MessageId != this._stoppedMessageId)
                    {
                        return;
                    }

                    var current = this._messages.Count > 0 ? this._messages[^1] : null;
                    if (current is null || current.Id != assistant.MessageId)
                    {
                        current = new AssistantTurnMessage(assistant.MessageId, assistant.Model);
                        this._messages.Add(current);
                    }

                    current.Blocks.AddRange(assistant.Blocks);
                }

                break;
        }
    }

    /// <summary>The turn ends with the message being streamed: later model messages are the CLI's, not the answer's.</summary>
    public void StopAtCurrentMessage()
    {
        lock (this._gate)
        {
            this._stoppedMessageId ??= this._currentMessageId ?? string.Empty;
        }
    }

    /// <summary>The model messages so far, copied.</summary>
    public IReadOnlyList<AssistantTurnMessage> Messages
    {
        get
        {
            lock (this._gate)
            {
                return this._messages.Select(Copy).ToList();
            }
        }
    }

    /// <summary>The blocks so far of the message <paramref name="messageId"/> (the latest with that id), copied; empty when none.</summary>
    public IReadOnlyList<CliContentBlock> BlocksOf(string? messageId)
    {
        lock (this._gate)
        {
            return this._messages.LastOrDefault(m => m.Id == messageId)?.Blocks.ToList() ?? [];
        }
    }

    /// <summary>The model's <c>tool_use</c> block with the id <paramref name="toolUseId"/>, or null.</summary>
    public CliToolUseBlock? FindToolUse(string toolUseId)
    {
        lock (this._gate)
        {
            return this._messages.SelectMany(m => m.Blocks).OfType<CliToolUseBlock>().LastOrDefault(b => b.Id == toolUseId);
        }
    }

    private static AssistantTurnMessage Copy(AssistantTurnMessage message)
    {
        var copy = new AssistantTurnMessage(message.Id, message.Model);
        copy.Blocks.AddRange(message.Blocks);
        return copy;
    }
}
