// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using SK = Microsoft.SemanticKernel;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Maps between Microsoft.Extensions.AI shapes and the ones Core works with, so that the chat client face runs on
/// the same turn machinery as the chat completion service (and keeps thinking, usage and finish reason, which SK's
/// generic bridges drop).
/// </summary>
internal static class ChatClientConversions
{
    /// <summary>MEAI messages as an SK chat history, with their structure.</summary>
    public static ChatHistory ToChatHistory(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = new ChatHistory();
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();

        // Calls the CLI ran itself in earlier turns are records, not conversation: the model read their results as
        // tool results inside that turn, and the caller must not be asked to answer them.
        var informationalCallIds = new HashSet<string>(
            list.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().Where(c => c.InformationalOnly).Select(c => c.CallId),
            StringComparer.Ordinal);
        foreach (var message in list)
        {
            var role = message.Role == ChatRole.System ? AuthorRole.System
                : message.Role == ChatRole.Assistant ? AuthorRole.Assistant
                : message.Role == ChatRole.Tool ? AuthorRole.Tool
                : message.Role == ChatRole.User ? AuthorRole.User
                : new AuthorRole(message.Role.Value);
            var items = new ChatMessageContentItemCollection();
            foreach (var content in message.Contents)
            {
                if (!HostedToolContents.IsInformational(content, informationalCallIds))
                {
                    items.Add(ToKernelContent(content, message.Role));
                }
            }

            if (items.Count == 0 && message.Contents.Count > 0)
            {
                // A message that held only such records (a streamed response's tool updates, say) adds nothing.
                continue;
            }

            history.Add(new ChatMessageContent(role, items));
        }

        return history;
    }

    /// <summary>Chat options as execution settings; what Claude cannot take goes to the connector's parameter policy.</summary>
    public static ClaudeCodePromptExecutionSettings ToSettings(ChatOptions? options)
    {
        if (options is null)
        {
            return new ClaudeCodePromptExecutionSettings();
        }

        // Claude-specific knobs (max_turns, thinking, fallback_model, …) travel in AdditionalProperties under the
        // same JSON names as the execution settings.
        var extension = new Dictionary<string, object>(StringComparer.Ordinal);
        if (options.AdditionalProperties is { } additional)
        {
            foreach (var (name, value) in additional)
            {
                if (value is not null)
                {
                    extension[name] = value;
                }
            }
        }

        if (options.Seed is { } seed)
        {
            extension["seed"] = seed;
        }

        if (options.FrequencyPenalty is { } frequency)
        {
            extension["frequency_penalty"] = frequency;
        }

        if (options.PresencePenalty is { } presence)
        {
            extension["presence_penalty"] = presence;
        }

        var settings = ClaudeCodePromptExecutionSettings.FromExecutionSettings(new PromptExecutionSettings { ExtensionData = extension });
        settings.ModelId = options.ModelId ?? settings.ModelId;
        settings.Temperature = options.Temperature ?? settings.Temperature;
        settings.TopP = options.TopP ?? settings.TopP;
        settings.TopK = options.TopK ?? settings.TopK;
        settings.MaxTokens = options.MaxOutputTokens ?? settings.MaxTokens;
        settings.StopSequences = options.StopSequences?.ToList() ?? settings.StopSequences;
        settings.ChatSystemPrompt = options.Instructions ?? settings.ChatSystemPrompt;
        settings.ResponseFormat = options.ResponseFormat ?? settings.ResponseFormat;
        if (options.Tools?.OfType<HostedWebSearchTool>().Any() == true)
        {
            // MEAI's hosted web search is Claude Code's WebSearch tool, which the CLI runs inside the turn.
            settings.WebSearch = new ClaudeCodeWebSearch();
        }

        if (options.Tools?.OfType<HostedMcpServerTool>().ToList() is { Count: > 0 } mcpTools)
        {
            // MEAI's hosted MCP servers are servers the CLI connects to and calls inside the turn.
            settings.McpServers = [.. settings.McpServers ?? [], .. mcpTools.Select(ToMcpServer)];
        }

        switch (options.Reasoning?.Effort)
        {
            case ReasoningEffort.None:
                settings.Thinking = ClaudeCodeThinking.Disabled();
                break;
            case ReasoningEffort.Low:
                settings.ReasoningEffort = "low";
                break;
            case ReasoningEffort.Medium:
                settings.ReasoningEffort = "medium";
                break;
            case ReasoningEffort.High:
                settings.ReasoningEffort = "high";
                break;
            case ReasoningEffort.ExtraHigh:
                settings.ReasoningEffort = "xhigh";
                break;
        }

        return settings;
    }

    /// <summary>
    /// An MEAI hosted MCP server as the connector's: an address that is not an http(s) URL (a connector id, say) is
    /// refused by the settings check; no approval mode means approval for every call, the safe reading of "the service
    /// decides".
    /// </summary>
    private static ClaudeCodeMcpServer ToMcpServer(HostedMcpServerTool tool)
    {
        var server = new ClaudeCodeMcpServer
        {
            Name = tool.ServerName,
            Url = Uri.TryCreate(tool.ServerAddress, UriKind.Absolute, out var url) ? url : null,
            Headers = tool.Headers is { Count: > 0 } headers ? new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) : null,
            AllowedTools = tool.AllowedTools?.ToList(),
        };
        switch (tool.ApprovalMode)
        {
            case HostedMcpServerToolNeverRequireApprovalMode:
                server.RequireApproval = ClaudeCodeMcpApproval.Never;
                break;
            case HostedMcpServerToolRequireSpecificApprovalMode specific:
                server.AlwaysRequireApprovalTools = specific.AlwaysRequireApprovalToolNames?.ToList();
                server.NeverRequireApprovalTools = specific.NeverRequireApprovalToolNames?.ToList();
                break;
        }

        return server;
    }

    /// <summary>The tools of the options as a plan: the caller runs every call (the MEAI contract), so the turn stops at them.</summary>
    public static FunctionCallingPlan? ToPlan(ChatOptions? options)
    {
        var declarations = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (declarations is not { Count: > 0 })
        {
            return null;
        }

        var mode = options!.ToolMode is NoneChatToolMode ? FunctionCallingMode.None : FunctionCallingMode.Manual;
        var required = options.ToolMode as RequiredChatToolMode;
        return new FunctionCallingPlan(ToolCatalog.FromDeclarations(declarations), mode, kernel: null)
        {
            Required = required is not null,
            RequiredFunctionName = required?.RequiredFunctionName,
            AllowParallelCalls = options.AllowMultipleToolCalls,
        };
    }

    /// <summary>An SK answer as an MEAI message; its citations become <see cref="CitationAnnotation"/>s on its text.</summary>
    public static ChatMessage ToChatMessage(ChatMessageContent message)
    {
        var citations = message.Metadata?.TryGetValue(ClaudeCodeMetadataKeys.Citations, out var value) == true ? value as IReadOnlyList<ClaudeCodeCitation> : null;
        var contents = new List<AIContent>();
        foreach (var item in message.Items)
        {
            switch (item)
            {
                case ReasoningContent reasoning:
                    contents.Add(new TextReasoningContent(reasoning.Text));
                    break;
                case SK.TextContent text:
                    var converted = new Microsoft.Extensions.AI.TextContent(text.Text);
                    if (citations is { Count: > 0 })
                    {
                        // The answer has one text item: the citations' spans index into it.
                        converted.Annotations = [.. citations.Select(ToAnnotation)];
                        citations = null;
                    }

                    contents.Add(converted);
                    break;
                case SK.FunctionCallContent call:
                    contents.Add(ToFunctionCall(call));
                    break;
            }
        }

        return new ChatMessage(ChatRole.Assistant, contents) { RawRepresentation = message.InnerContent };
    }

    /// <summary>
    /// A citation as an MEAI annotation: the document's title, the cited passage as the snippet, the span of the answer
    /// it backs as a <see cref="TextSpanAnnotatedRegion"/> (when known), and where the passage is in the document in
    /// <see cref="AIAnnotation.AdditionalProperties"/> (<c>DocumentIndex</c>, <c>LocationType</c>, <c>Start</c>, <c>End</c>).
    /// </summary>
    public static CitationAnnotation ToAnnotation(ClaudeCodeCitation citation)
    {
        var annotation = new CitationAnnotation
        {
            Title = citation.DocumentTitle,
            Snippet = citation.CitedText,
            RawRepresentation = citation,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [nameof(ClaudeCodeCitation.DocumentIndex)] = citation.DocumentIndex,
                [nameof(ClaudeCodeCitation.LocationType)] = citation.LocationType,
                [nameof(ClaudeCodeCitation.Start)] = citation.Start,
                [nameof(ClaudeCodeCitation.End)] = citation.End,
            },
        };
        if (citation.AnswerStart is { } start && citation.AnswerEnd is { } end)
        {
            annotation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
        }

        return annotation;
    }

    /// <summary>The answer as MEAI's message, after what the CLI ran inside the turn (calls and results the answer used).</summary>
    public static ChatMessage ToResponseMessage(ChatMessageContent message, TurnResult turn)
    {
        var chatMessage = ToChatMessage(message);
        if (turn.HostedToolCalls is { Count: > 0 } hosted)
        {
            chatMessage.Contents = [.. hosted.SelectMany(call => HostedToolContents.ToAIContents(call)), .. chatMessage.Contents];
        }

        return chatMessage;
    }

    /// <summary>An SK function call as an MEAI one (MEAI tools have no plugin).</summary>
    public static Microsoft.Extensions.AI.FunctionCallContent ToFunctionCall(SK.FunctionCallContent call)
    {
        var arguments = call.Arguments?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return new Microsoft.Extensions.AI.FunctionCallContent(call.Id ?? string.Empty, call.FunctionName, arguments);
    }

    /// <summary>The turn's metadata as MEAI response fields.</summary>
    public static (UsageDetails? Usage, ChatFinishReason? FinishReason, AdditionalPropertiesDictionary Properties) ToResponseFields(IReadOnlyDictionary<string, object?>? metadata)
    {
        var properties = new AdditionalPropertiesDictionary();
        UsageDetails? usage = null;
        ChatFinishReason? finishReason = null;
        foreach (var (key, value) in metadata ?? new Dictionary<string, object?>())
        {
            switch (key)
            {
                case ClaudeCodeMetadataKeys.Usage:
                    usage = value as UsageDetails;
                    break;
                case ClaudeCodeMetadataKeys.FinishReason when value is string reason:
                    finishReason = new ChatFinishReason(reason);
                    break;
                case ClaudeCodeMetadataKeys.BuiltInToolCalls when value is IReadOnlyList<SK.FunctionCallContent> calls:
                    properties[key] = calls.Select(ToInformationalCall).ToList();
                    break;
                default:
                    if (value is not null)
                    {
                        properties[key] = value;
                    }

                    break;
            }
        }

        return (usage, finishReason, properties);
    }

    private static Dictionary<string, object?>? DocumentMetadata(string? name)
        => string.IsNullOrEmpty(name) ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { [DocumentBlocks.TitleMetadataKey] = name };

    /// <summary>
    /// A built-in tool call the CLI already ran, as MEAI sees one it must not run: <c>InformationalOnly</c>, which
    /// <c>FunctionInvokingChatClient</c> skips, with the decision and result in its additional properties.
    /// </summary>
    private static Microsoft.Extensions.AI.FunctionCallContent ToInformationalCall(SK.FunctionCallContent call)
    {
        var arguments = call.Arguments?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var informational = new Microsoft.Extensions.AI.FunctionCallContent(call.Id ?? string.Empty, call.FunctionName, arguments)
        {
            InformationalOnly = true,
            AdditionalProperties = [],
        };
        foreach (var (key, value) in call.Metadata ?? new Dictionary<string, object?>())
        {
            informational.AdditionalProperties[key] = value;
        }

        return informational;
    }

    private static KernelContent ToKernelContent(AIContent content, ChatRole role)
        => content switch
        {
            Microsoft.Extensions.AI.TextContent text => new SK.TextContent(text.Text),
            TextReasoningContent reasoning => new ReasoningContent(reasoning.Text),
            DataContent data when data.HasTopLevelMediaType("image") => new ImageContent(data.Data, data.MediaType),
            UriContent uri when uri.HasTopLevelMediaType("image") => new ImageContent(uri.Uri),

            // Documents (and anything else binary) are judged by the history converter, which refuses media types
            // Claude cannot read with a NotSupportedException naming the type.
            DataContent data => new BinaryContent(data.Data, data.MediaType) { Metadata = DocumentMetadata(data.Name) },
            UriContent uri => new BinaryContent(uri.Uri) { MimeType = uri.MediaType },
            Microsoft.Extensions.AI.FunctionCallContent call => new SK.FunctionCallContent(
                call.Name,
                pluginName: null,
                call.CallId,
                call.Arguments is null ? null : new KernelArguments(call.Arguments)),
            Microsoft.Extensions.AI.FunctionResultContent result => new SK.FunctionResultContent(
                functionName: null,
                pluginName: null,
                result.CallId,
                result.Result is JsonElement element ? element : result.Result ?? (result.Exception is { } ex ? $"Error: {ex.Message}" : null)),
            _ => throw new NotSupportedException($"Content of type '{content.GetType().Name}' in a {role} message is not supported; use text, images, function calls or function results."),
        };
}
