// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Builds SK content objects from turn updates and results.</summary>
internal static class ChatContentFactory
{
    /// <summary>The final assistant message of a turn: thinking as <see cref="ReasoningContent"/> items, then the text.</summary>
    public static ChatMessageContent CreateMessage(TurnResult turn, string? requestedModelId)
    {
        var modelId = turn.ModelId ?? requestedModelId;
        var items = new ChatMessageContentItemCollection();
        var text = new StringBuilder();

        // The answer is the turn's last model response; earlier ones (tool rounds) are part of the history, not the answer.
        if (turn.Messages.Count > 0)
        {
            foreach (var block in turn.Messages[^1].Blocks)
            {
                switch (block)
                {
                    case CliThinkingBlock { Thinking.Length: > 0 } thinking:
                        items.Add(new ReasoningContent(thinking.Thinking) { ModelId = modelId });
                        break;
                    case CliTextBlock textBlock:
                        text.Append(textBlock.Text);
                        break;
                }
            }
        }

        if (turn.Result.StructuredOutput is { } structured)
        {
            // With a response format the answer is the structured output, delivered through a tool call, not text.
            text.Clear().Append(StructuredText(turn, structured));
        }
        else if (text.Length == 0 && turn.Messages.Count == 0 && turn.Result.Result is { Length: > 0 } resultText)
        {
            text.Append(resultText);
        }

        if (text.Length > 0)
        {
            items.Add(new TextContent(text.ToString()) { ModelId = modelId });
        }

        return new ChatMessageContent(AuthorRole.Assistant, items, modelId, innerContent: turn.Result.Raw, metadata: TurnMetadataBuilder.Build(turn));
    }

    /// <summary>The answer of a turn stopped at the model's function calls (manual mode): text and <see cref="FunctionCallContent"/>s.</summary>
    public static ChatMessageContent CreateFunctionCallMessage(ChatMessageContent calls, TurnResult turn, string? requestedModelId)
    {
        var modelId = turn.ModelId ?? requestedModelId;
        var items = new ChatMessageContentItemCollection();
        foreach (var item in calls.Items)
        {
            items.Add(item);
        }

        return new ChatMessageContent(AuthorRole.Assistant, items, modelId, innerContent: turn.Result.Raw, metadata: TurnMetadataBuilder.Build(turn));
    }

    /// <summary>
    /// One chunk per completed function call, with the whole arguments: SK's <c>FunctionCallContentBuilder</c> can
    /// rebuild the call, and bridges that parse each update's arguments as complete JSON do not fail.
    /// </summary>
    public static StreamingChatMessageContent CreateFunctionCallChunk(CallUpdate update)
    {
        var call = update.Call!;
        var name = string.IsNullOrEmpty(call.PluginName) ? call.FunctionName : call.PluginName + ToolNaming.PluginSeparator + call.FunctionName;
        return new StreamingChatMessageContent(AuthorRole.Assistant, content: null, modelId: update.ModelId)
        {
            Items =
            {
                new StreamingFunctionCallUpdateContent(call.Id, name, update.ArgumentsJson, update.CallIndex)
                {
                    RequestIndex = update.RequestIndex,
                },
            },
        };
    }

    /// <summary>A streaming chunk for one text or thinking delta, or for a citation (in its metadata, without text).</summary>
    public static StreamingChatMessageContent CreateChunk(CallUpdate update)
    {
        var modelId = update.ModelId;
        if (update.Citation is { } citation)
        {
            var metadata = new System.Collections.Generic.Dictionary<string, object?>(System.StringComparer.Ordinal)
            {
                [ClaudeCodeMetadataKeys.Citations] = new[] { citation },
            };
            return new StreamingChatMessageContent(AuthorRole.Assistant, content: null, modelId: modelId, metadata: metadata);
        }

        if (update.HostedCall is { } hosted)
        {
            return new StreamingChatMessageContent(AuthorRole.Assistant, content: null, modelId: modelId)
            {
                Items = { HostedToolContents.ToStreamingItem(hosted, modelId) },
            };
        }

        if (update.Kind == TurnUpdateKind.ThinkingDelta)
        {
            return new StreamingChatMessageContent(AuthorRole.Assistant, content: null, modelId: modelId)
            {
                Items = { new StreamingReasoningContent(update.Text) { ModelId = modelId } },
            };
        }

        return new StreamingChatMessageContent(AuthorRole.Assistant, update.Text, modelId: modelId);
    }

    /// <summary>
    /// The last streaming chunk: the turn's metadata (usage, finish reason, cost, …), and the JSON of a structured
    /// output, which arrives whole rather than as text deltas.
    /// </summary>
    public static StreamingChatMessageContent CreateFinalChunk(TurnResult turn, string? requestedModelId)
        => new(
            AuthorRole.Assistant,
            content: turn.Result.StructuredOutput is { } structured ? StructuredText(turn, structured) : null,
            innerContent: turn.Result.Raw,
            modelId: turn.ModelId ?? requestedModelId,
            metadata: TurnMetadataBuilder.Build(turn));

    private static string StructuredText(TurnResult turn, System.Text.Json.JsonElement structured)
        => turn.Result.Result is { Length: > 0 } json ? json : structured.GetRawText();
}
