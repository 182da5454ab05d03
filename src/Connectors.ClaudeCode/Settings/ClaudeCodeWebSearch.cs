// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Web search for one request: Claude Code's built-in <c>WebSearch</c> tool is offered for that request only, and its
/// calls are allowed without a <see cref="ClaudeCodeOptions.ToolPermission"/> callback (the request asked for them);
/// when the app has a callback, it decides. JSON: <c>{"enabled":true}</c>.
/// </summary>
/// <remarks>
/// The CLI has no flag for a search's domain lists or its number of searches: the model fills the tool's
/// <c>allowed_domains</c>/<c>blocked_domains</c> input, which a <see cref="ClaudeCodeOptions.ToolPermission"/>
/// callback can check or rewrite.
/// </remarks>
public sealed class ClaudeCodeWebSearch
{
    /// <summary>True (the default) to offer web search for the request.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>A copy.</summary>
    /// <returns>A new configuration with the same values.</returns>
    public ClaudeCodeWebSearch Clone() => new() { Enabled = this.Enabled };
}
