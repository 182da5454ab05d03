// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>One line the CLI wrote on stdout. Subclasses give typed access to the kinds the connector uses.</summary>
internal class CliMessage
{
    public CliMessage(string type, JsonElement raw)
    {
        this.Type = type;
        this.Raw = raw;
    }

    /// <summary>The top-level <c>type</c> field.</summary>
    public string Type { get; }

    /// <summary>The whole line as parsed JSON, for anything the typed view leaves out.</summary>
    public JsonElement Raw { get; }

    /// <summary>The <c>subtype</c> field, when there is one.</summary>
    public string? Subtype => this.Raw.GetStringOrNull("subtype");

    /// <summary>The <c>session_id</c> field, when there is one.</summary>
    public string? SessionId => this.Raw.GetStringOrNull("session_id");
}
