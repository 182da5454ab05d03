// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Keeps a streaming caller's text equal to the answer when the API stream breaks. The CLI then either streams the
/// answer again from its start (after a retry) or asks again without streaming and reports only the whole message.
/// The guard remembers what the caller already received for the current model response: a restarted stream is not
/// passed on again until it goes past that point, and a whole message fills in what the stream missed. An answer that
/// comes back different from what was streamed cannot be mended, and ends the call with
/// <see cref="ClaudeCodeStreamRestartedException"/>.
/// </summary>
internal sealed class StreamedTextGuard
{
    private readonly StringBuilder _sent = new();
    private readonly Dictionary<string, StringBuilder> _messageText = new(StringComparer.Ordinal);
    private int _attempt;
    private bool _responseOpen;
    private string? _streamingMessageId;

    /// <summary>A model message starts streaming: a new response, or the same one again after a broken stream.</summary>
    public void MessageStarted(string? messageId)
    {
        if (!this._responseOpen)
        {
            this._sent.Clear();
        }

        this._attempt = 0;
        this._responseOpen = true;
        this._streamingMessageId = messageId;
    }

    /// <summary>The streamed message ended normally: the next one is a new response.</summary>
    public void MessageStopped() => this._responseOpen = false;

    /// <summary>The part of a streamed text delta the caller has not received yet (often all of it, or none after a restart).</summary>
    public string Delta(string text)
    {
        var start = this._attempt;
        this._attempt += text.Length;
        var overlap = Math.Clamp(this._sent.Length - start, 0, text.Length);
        for (var i = 0; i < overlap; i++)
        {
            if (this._sent[start + i] != text[i])
            {
                throw this.Restarted();
            }
        }

        var fresh = text[overlap..];
        this._sent.Append(fresh);
        return fresh;
    }

    /// <summary>
    /// A completed text block of message <paramref name="messageId"/> as the CLI reported it: returns the part the
    /// stream never delivered (all of a message asked for without streaming).
    /// </summary>
    public string Completed(string? messageId, string blockText)
    {
        var key = messageId ?? string.Empty;
        if (!this._messageText.TryGetValue(key, out var whole))
        {
            this._messageText[key] = whole = new StringBuilder();
        }

        whole.Append(blockText);
        if (messageId != this._streamingMessageId)
        {
            // Not the message being streamed: the CLI's answer without streaming. It completes the response.
            this._responseOpen = false;
        }

        var complete = whole.ToString();
        var sent = this._sent.ToString();
        if (sent.StartsWith(complete, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        if (!complete.StartsWith(sent, StringComparison.Ordinal))
        {
            throw this.Restarted();
        }

        var missing = complete[sent.Length..];
        this._sent.Append(missing);
        this._attempt = this._sent.Length;
        return missing;
    }

    private ClaudeCodeStreamRestartedException Restarted()
        => new(string.Create(
            CultureInfo.InvariantCulture,
            $"The API stream broke after {this._sent.Length} characters of the answer had been streamed, and the answer Claude Code got when it asked again differs from them. The streamed text is in TextSoFar; retry the call, or call without streaming."))
        {
            TextSoFar = this._sent.ToString(),
        };
}
