// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One conversation message in Messages API shape, ready to be written to the CLI.</summary>
internal sealed class CliInputMessage
{
    public CliInputMessage(bool isAssistant, JsonArray content)
    {
        this.IsAssistant = isAssistant;
        this.Content = content;
    }

    /// <summary>True for an assistant turn, false for a user turn (text, images or tool results).</summary>
    public bool IsAssistant { get; }

    /// <summary>Messages API content blocks.</summary>
    public JsonArray Content { get; }
}
