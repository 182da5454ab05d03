// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>text</c> block: part of the answer.</summary>
internal sealed record CliTextBlock(string Text, JsonElement Raw) : CliContentBlock("text", Raw);
