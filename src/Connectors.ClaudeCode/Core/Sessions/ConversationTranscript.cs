// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

/// <summary>
/// A conversation in a canonical form, to decide whether a request continues a live session. Each message becomes
/// one string: its role and its content with what does not survive a round trip through the caller's history
/// evened out (an assistant message's text blocks joined, thinking left out, a function result's text as a plain
/// string). Two requests continue the same conversation only when these strings are equal, message by message.
/// </summary>
internal sealed class ConversationTranscript
{
    private ConversationTranscript(IReadOnlyList<string> messages, IReadOnlyList<CliInputMessage> sources)
    {
        this.Messages = messages;
        this.Sources = sources;
    }

    /// <summary>The canonical messages, in order.</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>The messages themselves, to replay the conversation into another process.</summary>
    public IReadOnlyList<CliInputMessage> Sources { get; }

    /// <summary>The transcript of <paramref name="messages"/>.</summary>
    public static ConversationTranscript Of(IEnumerable<CliInputMessage> messages)
    {
        var canonical = new List<string>();
        var sources = new List<CliInputMessage>();
        foreach (var message in messages)
        {
            if (Canonical(message) is { } text)
            {
                canonical.Add(text);
                sources.Add(message);
            }
        }

        return new(canonical, sources);
    }

    /// <summary>An empty transcript.</summary>
    public static ConversationTranscript Empty { get; } = new([], []);

    /// <summary>This transcript followed by <paramref name="next"/>.</summary>
    public ConversationTranscript Then(ConversationTranscript next)
        => next.Messages.Count == 0 ? this : new([.. this.Messages, .. next.Messages], [.. this.Sources, .. next.Sources]);

    /// <summary>This transcript followed by an assistant message made of <paramref name="blocks"/> (as the CLI reported them).</summary>
    public ConversationTranscript WithAssistant(IEnumerable<CliContentBlock> blocks)
    {
        var content = new JsonArray();
        foreach (var block in blocks)
        {
            content.Add(JsonNode.Parse(block.Raw.GetRawText()));
        }

        return this.Then(Of([new CliInputMessage(isAssistant: true, content)]));
    }

    /// <summary>
    /// Whether <paramref name="request"/> starts with this whole transcript and has at least one message more; the
    /// comparison is by content, never by hash alone.
    /// </summary>
    public bool IsStrictPrefixOf(ConversationTranscript request)
    {
        if (request.Messages.Count <= this.Messages.Count)
        {
            return false;
        }

        for (var i = 0; i < this.Messages.Count; i++)
        {
            if (!string.Equals(this.Messages[i], request.Messages[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A short hash of the first <paramref name="count"/> messages, for finding candidates quickly.</summary>
    public string FingerprintOf(int count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < count && i < this.Messages.Count; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(this.Messages[i]));
            hash.AppendData([0]);
        }

        return System.Convert.ToHexString(hash.GetHashAndReset(), 0, 12);
    }

    private static string? Canonical(CliInputMessage message)
    {
        var blocks = new JsonArray();
        var text = new StringBuilder();
        foreach (var block in message.Content.OfType<JsonObject>())
        {
            switch (block["type"]?.GetValue<string>())
            {
                case "text" when message.IsAssistant:
                    text.Append(block["text"]?.GetValue<string>());
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                case "tool_use":
                    blocks.Add(new JsonObject
                    {
                        ["type"] = "tool_use",
                        ["id"] = block["id"]?.DeepClone(),
                        ["name"] = block["name"]?.DeepClone(),
                        ["input"] = block["input"]?.DeepClone(),
                    });
                    break;
                case "tool_result":
                    blocks.Add(new JsonObject
                    {
                        ["type"] = "tool_result",
                        ["tool_use_id"] = block["tool_use_id"]?.DeepClone(),
                        ["content"] = ResultText(block["content"]),
                        ["is_error"] = block["is_error"]?.GetValue<bool>() == true,
                    });
                    break;
                default:
                    blocks.Add(block.DeepClone());
                    break;
            }
        }

        if (text.Length > 0)
        {
            blocks.Insert(0, new JsonObject { ["type"] = "text", ["text"] = text.ToString() });
        }

        if (blocks.Count == 0)
        {
            // An empty message does not reach the CLI when replayed either.
            return null;
        }

        return (message.IsAssistant ? "A" : "U") + blocks.ToJsonString();
    }

    private static string ResultText(JsonNode? content)
        => content switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>() ?? p.ToJsonString())),
            _ => content.ToJsonString(),
        };
}
