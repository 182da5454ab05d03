// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>thinking</c> block: the model's reasoning before its answer.</summary>
internal sealed record CliThinkingBlock(string Thinking, JsonElement Raw) : CliContentBlock("thinking", Raw);
