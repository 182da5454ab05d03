// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>
/// A generic answer to any request, for demos and notebooks run offline (set it as <see cref="FakeMessagesApi.Responder"/>).
/// It streams at a pace a reader can follow and behaves the way the request asks a model to: thinking before the text
/// when thinking is on; a call to an offered tool (the one whose name or description shares words with the question; on
/// the first turn the first tool if none does), then an answer that uses its result; JSON for a structured output
/// request; otherwise a text that repeats the question. No model runs, and every answer says so.
/// </summary>
public sealed class DemoResponder
{
    /// <summary>The tool the Claude Code CLI adds for <c>--json-schema</c>: its input is the structured answer.</summary>
    public const string StructuredOutputTool = "StructuredOutput";

    // Words that say nothing about which tool a question is for.
    private static readonly HashSet<string> s_commonWords = new(
        ["what", "when", "where", "which", "that", "this", "with", "from", "your", "have", "does", "gets", "give", "tell", "about", "please", "there", "their", "would", "could", "should", "returns", "current"],
        StringComparer.OrdinalIgnoreCase);

    private int _toolCallCounter;

    /// <summary>Characters per streamed text, thinking or tool-input delta.</summary>
    public int ChunkSize { get; set; } = 3;

    /// <summary>The pause between streamed events, so that a stream is visibly a stream.</summary>
    public TimeSpan DelayBetweenEvents { get; set; } = TimeSpan.FromMilliseconds(8);

    /// <summary>Answers one request.</summary>
    /// <param name="request">The request the fake received.</param>
    /// <returns>The scripted answer.</returns>
    public FakeResponse Respond(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = this.Compose(request);
        response.ChunkSize = this.ChunkSize;
        response.DelayBetweenEvents = this.DelayBetweenEvents;

        // Rough counts (four characters a token) keep the usage and cost figures in proportion to the request.
        response.InputTokens = Math.Max(1, request.BodyText.Length / 4);
        response.CacheReadInputTokens = 0;
        response.CacheCreationInputTokens = 0;
        response.OutputTokens = Math.Max(1, response.Blocks.Sum(b => b.Text.Length + (b.Type == "tool_use" ? b.InputJson.Length : 0)) / 4);
        return response;
    }

    private static string Quote(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "\u201c" + (flat.Length > 200 ? flat[..200] + "\u2026" : flat) + "\u201d";
    }

    private static string DisplayName(string toolName)
    {
        // Kernel functions reach the API as mcp__kernel__Plugin-Function; the last part is what a reader knows.
        var separator = toolName.LastIndexOf("__", StringComparison.Ordinal);
        return separator >= 0 ? toolName[(separator + 2)..] : toolName;
    }

    private static bool WantsThinking(RecordedRequest request)
        => request.Body?["thinking"]?["type"]?.GetValue<string>() is "enabled" or "adaptive";

    private static List<string> UserTexts(RecordedRequest request)
        => request.Messages
            .Where(m => m["role"]?.GetValue<string>() == "user")
            .Select(RecordedRequest.TextOf)
            .Where(t => t.Trim().Length > 0)
            .ToList();

    private static string LastUserText(RecordedRequest request)
    {
        var texts = UserTexts(request);
        return texts.Count > 0 ? texts[^1] : string.Empty;
    }

    private static JsonObject? PickTool(RecordedRequest request, IReadOnlyList<JsonObject> tools)
    {
        var choice = request.Body?["tool_choice"] as JsonObject;
        var choiceType = choice?["type"]?.GetValue<string>();
        if (choiceType == "none")
        {
            return null;
        }

        if (choiceType == "tool" && choice?["name"]?.GetValue<string>() is { } forced)
        {
            return tools.FirstOrDefault(t => t["name"]?.GetValue<string>() == forced);
        }

        // The tool whose name or description shares the most words with the question; on the first turn, else the
        // first tool. A later question that names no tool gets a text answer, as a model's small talk would.
        var words = WordsOf(LastUserText(request));
        var best = tools
            .Select((tool, index) => (tool, index, score: WordsOf((tool["name"]?.GetValue<string>() ?? string.Empty) + " " + (tool["description"]?.GetValue<string>() ?? string.Empty)).Count(words.Contains)))
            .OrderByDescending(t => t.score)
            .ThenBy(t => t.index)
            .First();
        return best.score > 0 || choiceType is "any" || UserTexts(request).Count <= 1 ? best.tool : null;
    }

    private static HashSet<string> WordsOf(string text)
    {
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var current = new StringBuilder();
        foreach (var c in text + " ")
        {
            // Splits on non-letters and on lower-to-upper case changes, so GetWeather gives "get" and "weather".
            if (char.IsLetter(c) && !(char.IsUpper(c) && current.Length > 0 && char.IsLower(current[^1])))
            {
                current.Append(c);
                continue;
            }

            if (current.Length > 3 && !s_commonWords.Contains(current.ToString()))
            {
                words.Add(current.ToString());
            }

            current.Clear();
            if (char.IsLetter(c))
            {
                current.Append(c);
            }
        }

        return words;
    }

    private FakeResponse Compose(RecordedRequest request)
    {
        var tools = (request.Body?["tools"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var results = request.LastToolResults;

        // After a tool call the newest user message holds only tool results; the question is the last text.
        var question = LastUserText(request);

        if (tools.FirstOrDefault(t => t["name"]?.GetValue<string>() == StructuredOutputTool) is { } structured && results.Count == 0)
        {
            var sample = new JsonSchemaSample(structured["input_schema"] as JsonObject, question).Create();
            return FakeResponse.ToolCalls(null, (this.NextToolCallId(), StructuredOutputTool, sample.ToJsonString()));
        }

        var functions = tools.Where(t => t["name"]?.GetValue<string>() != StructuredOutputTool).ToList();
        if (functions.Count > 0 && results.Count == 0 && PickTool(request, functions) is { } tool)
        {
            var name = tool["name"]!.GetValue<string>();
            var arguments = new JsonSchemaSample(tool["input_schema"] as JsonObject, question).Create();
            var intro = $"Let me call {DisplayName(name)}.";
            var call = FakeResponse.ToolCalls(intro, (this.NextToolCallId(), name, arguments.ToJsonString()));
            return WantsThinking(request) ? WithThinking(call, $"The question: {Quote(question)}\nThe {DisplayName(name)} tool looks relevant, so I call it first.") : call;
        }

        var text = results.Count > 0 ? AnswerFromResults(request, results, question) : Echo(request, question);
        return WantsThinking(request)
            ? FakeResponse.ThinkingThenText(ThinkingAbout(question), text)
            : FakeResponse.Text(text);
    }

    private static FakeResponse WithThinking(FakeResponse response, string thinking)
    {
        response.Blocks.Insert(0, FakeBlock.ThinkingBlock(thinking));
        return response;
    }

    private string NextToolCallId()
        => "toolu_demo_" + Interlocked.Increment(ref this._toolCallCounter).ToString("D4", CultureInfo.InvariantCulture);

    private static string ThinkingAbout(string question)
        => $"The question: {Quote(question)}\nNo model is running here (this is the offline demo API), so the answer repeats the question and says what the conversation holds.";

    private static string Echo(RecordedRequest request, string question)
    {
        var userTexts = UserTexts(request);
        var answer = new StringBuilder("Offline demo answer (no model ran). You said: ");
        answer.Append(Quote(question));
        if (userTexts.Count > 1)
        {
            answer.Append(CultureInfo.InvariantCulture, $"\nThis conversation has {userTexts.Count} user messages so far; the first was: {Quote(userTexts[0])}");
        }

        return answer.ToString();
    }

    private static string AnswerFromResults(RecordedRequest request, IReadOnlyList<JsonObject> results, string question)
    {
        // tool_result blocks name their call by id; the assistant message before them names the tool.
        var calls = request.Messages
            .Where(m => m["role"]?.GetValue<string>() == "assistant")
            .SelectMany(m => (m["content"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(b => b["type"]?.GetValue<string>() == "tool_use")
            .ToDictionary(b => b["id"]?.GetValue<string>() ?? string.Empty, b => b["name"]?.GetValue<string>() ?? "the tool", StringComparer.Ordinal);
        var parts = results.Select(r =>
        {
            var id = r["tool_use_id"]?.GetValue<string>() ?? string.Empty;
            var name = calls.TryGetValue(id, out var n) ? DisplayName(n) : "The tool";
            return $"{name} returned {Quote(RecordedRequest.ResultText(r))}";
        });
        return "Offline demo answer (no model ran), using the tool result. " + string.Join("; ", parts) + ".";
    }
}
