// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>One model response within a turn: its completed content blocks in order.</summary>
internal sealed class AssistantTurnMessage
{
    public AssistantTurnMessage(string? id, string? model)
    {
        this.Id = id;
        this.Model = model;
    }

    public string? Id { get; }

    public string? Model { get; }

    /// <summary>Content blocks (<c>text</c>, <c>thinking</c>, <c>tool_use</c>, …) as the CLI reported them.</summary>
    public List<CliContentBlock> Blocks { get; } = [];
}
