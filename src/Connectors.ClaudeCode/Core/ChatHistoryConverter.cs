// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Turns an SK <see cref="ChatHistory"/> into Messages API turns with their structure: system and developer
/// messages become the system prompt, user and assistant turns stay separate messages in order, images become
/// image blocks, PDF and plain-text documents become <c>document</c> blocks, function calls and results become
/// <c>tool_use</c> / <c>tool_result</c> blocks.
/// </summary>
internal static class ChatHistoryConverter
{
    /// <summary>Converts <paramref name="chatHistory"/>; throws <see cref="ArgumentException"/> for a history Claude cannot answer.</summary>
    /// <param name="chatHistory">The history.</param>
    /// <param name="extraSystemPrompt">A system prompt from the settings, before the history's system messages.</param>
    /// <param name="continuesConversation">
    /// True when the history holds only the new messages of a conversation the service keeps (a conversation id):
    /// their function results answer calls that are in the earlier part.
    /// </param>
    /// <param name="citations">True to ask for citations on every document (<c>citations: {enabled: true}</c>).</param>
    public static (string? SystemPrompt, List<CliInputMessage> History, CliInputMessage Prompt) Convert(ChatHistory chatHistory, string? extraSystemPrompt = null, bool continuesConversation = false, bool citations = false)
    {
        if (chatHistory is null || chatHistory.Count == 0)
        {
            throw new ArgumentException("The chat history is empty; add at least one user message.", nameof(chatHistory));
        }

        var system = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(extraSystemPrompt))
        {
            system.Append(extraSystemPrompt);
        }

        foreach (var message in chatHistory)
        {
            if ((message.Role == AuthorRole.System || message.Role == AuthorRole.Developer) && !string.IsNullOrEmpty(message.Content))
            {
                if (system.Length > 0)
                {
                    system.Append("\n\n");
                }

                system.Append(message.Content);
            }
        }

        var turns = ConvertTurns(chatHistory, citations);

        if (turns.Count == 0)
        {
            throw new ArgumentException("The chat history has no user message; Claude needs one to answer.", nameof(chatHistory));
        }

        if (!continuesConversation)
        {
            CheckResultsMatchCalls(turns);
        }

        if (turns[^1].IsAssistant)
        {
            throw new ArgumentException(
                "The chat history ends with an assistant message. Claude Code cannot continue a pre-filled assistant turn; add a user message (or function results) after it.",
                nameof(chatHistory));
        }

        var prompt = turns[^1];
        turns.RemoveAt(turns.Count - 1);
        return (system.Length > 0 ? system.ToString() : null, turns, prompt);
    }

    /// <summary>The user and assistant turns of <paramref name="chatHistory"/> (system messages left out), without the checks of <see cref="Convert"/>.</summary>
    /// <param name="chatHistory">The messages.</param>
    /// <param name="citations">True to ask for citations on every document.</param>
    public static List<CliInputMessage> ConvertTurns(IEnumerable<ChatMessageContent> chatHistory, bool citations = false)
    {
        var turns = new List<CliInputMessage>();
        foreach (var message in chatHistory)
        {
            if (message.Role == AuthorRole.System || message.Role == AuthorRole.Developer)
            {
                continue;
            }

            var isAssistant = message.Role == AuthorRole.Assistant;
            if (!isAssistant && message.Role != AuthorRole.User && message.Role != AuthorRole.Tool)
            {
                throw new ArgumentException($"Chat message role '{message.Role}' is not supported; use system, user, assistant or tool.", nameof(chatHistory));
            }

            var content = isAssistant ? AssistantBlocks(message) : UserBlocks(message, citations);
            if (content.Count == 0)
            {
                continue;
            }

            // The API wants the results of one message's parallel calls in one user message: merge adjacent tool results.
            if (message.Role == AuthorRole.Tool && turns.Count > 0 && !turns[^1].IsAssistant && OnlyToolResults(turns[^1].Content))
            {
                foreach (var block in content)
                {
                    turns[^1].Content.Add(block!.DeepClone());
                }

                continue;
            }

            turns.Add(new CliInputMessage(isAssistant, content));
        }

        return turns;
    }

    /// <summary>The API refuses a tool result that answers no earlier call; say so here, naming the id.</summary>
    private static void CheckResultsMatchCalls(List<CliInputMessage> turns)
    {
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var turn in turns)
        {
            foreach (var block in turn.Content.OfType<JsonObject>())
            {
                var type = block["type"]?.GetValue<string>();
                if (type == "tool_use")
                {
                    callIds.Add(block["id"]!.GetValue<string>());
                }
                else if (type == "tool_result" && !callIds.Contains(block["tool_use_id"]!.GetValue<string>()))
                {
                    throw new ArgumentException(
                        $"The chat history has a FunctionResultContent with CallId '{block["tool_use_id"]}' that matches no earlier FunctionCallContent; " +
                        "add the assistant message with the call before its result.",
                        nameof(turns));
                }
            }
        }
    }

    private static bool OnlyToolResults(JsonArray content)
        => content.All(block => block?["type"]?.GetValue<string>() == "tool_result");

    private static JsonArray UserBlocks(ChatMessageContent message, bool citations)
    {
        var blocks = new JsonArray();

        // SK's tool messages carry the result twice: as text and as a FunctionResultContent; the latter is the one.
        var resultsOnly = message.Role == AuthorRole.Tool && message.Items.OfType<FunctionResultContent>().Any();
        foreach (var item in message.Items)
        {
            switch (item)
            {
                case TextContent when resultsOnly:
                    break;
                case TextContent text when !string.IsNullOrEmpty(text.Text):
                    blocks.Add(TextBlock(text.Text!));
                    break;
                case ImageContent image:
                    blocks.Add(ImageBlock(image));
                    break;
                case BinaryContent binary:
                    // Documents; anything else binary (audio, archives, …) is refused there, naming its media type.
                    blocks.Add(DocumentBlocks.Create(binary, citations));
                    break;
                case FunctionResultContent result:
                    blocks.Add(ToolResultBlock(result));
                    break;
                case TextContent:
                case FunctionCallContent:
                    // Empty text, and calls echoed into a tool message, carry nothing for the model.
                    break;
                default:
                    throw new NotSupportedException($"Chat message content of type '{item.GetType().Name}' is not supported in a {message.Role} message; use text, images, PDF or plain-text documents (BinaryContent) or function results.");
            }
        }

        if (blocks.Count == 0 && !string.IsNullOrEmpty(message.Content) && message.Items.Count == 0)
        {
            blocks.Add(TextBlock(message.Content!));
        }

        return blocks;
    }

    private static JsonArray AssistantBlocks(ChatMessageContent message)
    {
        var blocks = new JsonArray();
        foreach (var item in message.Items)
        {
            switch (item)
            {
                case TextContent text when !string.IsNullOrEmpty(text.Text):
                    blocks.Add(TextBlock(text.Text!));
                    break;
                case FunctionCallContent call:
                    blocks.Add(ToolUseBlock(call));
                    break;
                default:
                    // Thinking is not replayed (the CLI drops injected thinking blocks); other content has no assistant form.
                    break;
            }
        }

        if (blocks.Count == 0 && !string.IsNullOrEmpty(message.Content) && !message.Items.OfType<TextContent>().Any())
        {
            blocks.Add(TextBlock(message.Content!));
        }

        return blocks;
    }

    private static JsonObject TextBlock(string text) => new() { ["type"] = "text", ["text"] = text };

    private static JsonObject ImageBlock(ImageContent image)
    {
        if (image.Data is { IsEmpty: false } data)
        {
            var mediaType = image.MimeType;
            if (string.IsNullOrEmpty(mediaType))
            {
                throw new ArgumentException("An image in the chat history has data but no MimeType; set it (image/png, image/jpeg, image/gif or image/webp).");
            }

            return new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject
                {
                    ["type"] = "base64",
                    ["media_type"] = mediaType,
                    ["data"] = System.Convert.ToBase64String(data.Span),
                },
            };
        }

        if (image.Uri is { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "url", ["url"] = uri.ToString() },
            };
        }

        throw new ArgumentException("An image in the chat history has neither data nor an http(s) URI.");
    }

    private static JsonObject ToolUseBlock(FunctionCallContent call)
    {
        var input = new JsonObject();
        if (call.Arguments is not null)
        {
            foreach (var argument in call.Arguments)
            {
                input[argument.Key] = argument.Value switch
                {
                    null => null,
                    JsonElement element => JsonNode.Parse(element.GetRawText()),
                    JsonNode node => node.DeepClone(),
                    string text => text,
                    var other => JsonSerializer.SerializeToNode(other, other.GetType()),
                };
            }
        }

        return new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = call.Id ?? throw new ArgumentException($"The function call '{call.FunctionName}' in the chat history has no Id; Claude needs it to match the result."),
            ["name"] = ToolNaming.ModelToolName(call.PluginName, call.FunctionName),
            ["input"] = input,
        };
    }

    private static JsonObject ToolResultBlock(FunctionResultContent result)
    {
        var block = new JsonObject
        {
            ["type"] = "tool_result",
            ["tool_use_id"] = result.CallId ?? throw new ArgumentException($"The function result for '{result.FunctionName}' in the chat history has no CallId; Claude needs it to match the call."),
            ["content"] = ResultText(result.Result),
        };
        return block;
    }

    /// <summary>The text a function result is sent as: strings as they are, other values as JSON.</summary>
    public static string ResultText(object? result)
        => result switch
        {
            null => string.Empty,
            string text => text,
            ChatMessageContent chat => chat.Content ?? string.Empty,
            JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : element.GetRawText(),
            var other => JsonSerializer.Serialize(other, other.GetType()),
        };
}
