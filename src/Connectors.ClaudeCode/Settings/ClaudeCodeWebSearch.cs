// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Web search for one request: Claude Code's built-in <c>WebSearch</c> tool is offered for that request only, and its
/// calls are allowed without a <see cref="ClaudeCodeOptions.ToolPermission"/> callback (the request asked for them);
/// when the app has a callback, it decides. JSON: <c>{"enabled":true,"allowed_domains":["learn.microsoft.com"]}</c>.
/// </summary>
/// <remarks>
/// The CLI has no flag for the domain lists or the number of searches: the model fills the tool's
/// <c>allowed_domains</c>/<c>blocked_domains</c> input, and the connector puts the app's lists there before the call runs.
/// </remarks>
public sealed class ClaudeCodeWebSearch
{
    /// <summary>True (the default) to offer web search for the request.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Only results from these domains: replaces whatever lists the model asked for. Not together with <see cref="BlockedDomains"/>.</summary>
    [JsonPropertyName("allowed_domains")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? AllowedDomains { get; set; }

    /// <summary>Never results from these domains: added to the model's own block list. Not together with <see cref="AllowedDomains"/>.</summary>
    [JsonPropertyName("blocked_domains")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? BlockedDomains { get; set; }

    /// <summary>A copy.</summary>
    /// <returns>A new configuration with the same values.</returns>
    public ClaudeCodeWebSearch Clone() => new()
    {
        Enabled = this.Enabled,
        AllowedDomains = this.AllowedDomains?.ToList(),
        BlockedDomains = this.BlockedDomains?.ToList(),
    };
}
