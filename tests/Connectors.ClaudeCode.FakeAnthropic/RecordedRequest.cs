// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>One request the fake received, kept for assertions.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, IReadOnlyDictionary<string, string> headers, string bodyText)
    {
        this.Method = method;
        this.Path = path;
        this.Headers = headers;
        this.BodyText = bodyText;
        try
        {
            this.Body = bodyText.Length > 0 ? JsonNode.Parse(bodyText) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
            this.Body = null;
        }
    }

    /// <summary>HTTP method.</summary>
    public string Method { get; }

    /// <summary>Path and query.</summary>
    public string Path { get; }

    /// <summary>Headers, case-insensitive names.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The raw body.</summary>
    public string BodyText { get; }

    /// <summary>The body as JSON, when it is a JSON object.</summary>
    public JsonObject? Body { get; }

    /// <summary>The CLI's session id header: one per CLI process, so it tells which process sent the request.</summary>
    public string? CliSessionId => this.Headers.TryGetValue("X-Claude-Code-Session-Id", out var id) ? id : null;

    /// <summary>The requested model.</summary>
    public string? Model => this.Body?["model"]?.GetValue<string>();

    /// <summary>Whether the client asked for SSE.</summary>
    public bool Stream => this.Body?["stream"]?.GetValue<bool>() ?? false;

    /// <summary>The conversation messages, without the <c>role:"system"</c> entries the CLI inserts.</summary>
    public IReadOnlyList<JsonObject> Messages
        => (this.Body?["messages"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(m => m["role"]?.GetValue<string>() is "user" or "assistant")
            .ToList();

    /// <summary>The text blocks of a message joined, leaving out the CLI's <c>&lt;system-reminder&gt;</c> blocks.</summary>
    public static string TextOf(JsonObject message)
    {
        var content = message["content"];
        if (content is JsonValue value)
        {
            return value.GetValue<string>();
        }

        return string.Concat((content as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(b => b["type"]?.GetValue<string>() == "text")
            .Select(b => b["text"]?.GetValue<string>() ?? string.Empty)
            .Where(t => !t.TrimStart().StartsWith("<system-reminder>", StringComparison.Ordinal)));
    }

    /// <summary>The <c>tool_result</c> blocks of the newest user message.</summary>
    public IReadOnlyList<JsonObject> LastToolResults
        => (this.Messages.LastOrDefault(m => m["role"]?.GetValue<string>() == "user")?["content"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(b => b["type"]?.GetValue<string>() == "tool_result")
            .ToList();

    /// <summary>The text of a <c>tool_result</c> block (its content is a string or text blocks).</summary>
    public static string ResultText(JsonObject toolResult)
    {
        var text = toolResult["content"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonArray blocks => string.Concat(blocks.OfType<JsonObject>().Select(b => b["text"]?.GetValue<string>() ?? string.Empty)),
            _ => string.Empty,
        };

        // The CLI appends its own <system-reminder> notes to tool results; they are not the tool's output.
        var reminder = text.IndexOf("<system-reminder>", StringComparison.Ordinal);
        return (reminder >= 0 ? text[..reminder] : text).TrimEnd();
    }

    /// <summary>The tool names offered in the request.</summary>
    public IReadOnlyList<string> ToolNames => (this.Body?["tools"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["name"]!.GetValue<string>()).ToList();

    /// <summary>The text of the newest user message.</summary>
    public string LastUserText => this.Messages.LastOrDefault(m => m["role"]?.GetValue<string>() == "user") is { } last ? TextOf(last) : string.Empty;

    /// <summary>The whole system prompt text.</summary>
    public string SystemText
        => this.Body?["system"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonArray blocks => string.Join("\n", blocks.OfType<JsonObject>().Select(b => b["text"]?.GetValue<string>() ?? string.Empty)),
            _ => string.Empty,
        };
}
