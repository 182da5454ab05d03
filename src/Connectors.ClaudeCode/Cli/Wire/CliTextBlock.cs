// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>text</c> block: part of the answer, with the citations that back it (when documents asked for them).</summary>
internal sealed record CliTextBlock(string Text, JsonElement Raw) : CliContentBlock("text", Raw)
{
    /// <summary>The block's <c>citations</c>; empty without.</summary>
    public IReadOnlyList<CliCitation> Citations { get; } = CliCitation.ParseAll(Raw.GetPropertyOrNull("citations"));
}
