// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>tool_use</c> block: a function call, with the name the model used and its arguments.</summary>
internal sealed record CliToolUseBlock(string Id, string Name, JsonElement Input, JsonElement Raw) : CliContentBlock("tool_use", Raw)
{
    /// <summary>The arguments as the model wrote them (JSON), <c>{}</c> when missing.</summary>
    public string InputJson => this.Input.ValueKind == JsonValueKind.Undefined ? "{}" : this.Input.GetRawText();
}
