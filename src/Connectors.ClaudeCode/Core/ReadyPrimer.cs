// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The late settings of a new conversation, kept so that the next ready process can be given them while it waits: a
/// call whose settings are the same then starts its turn at once. Kept as JSON text, so that each process gets frames
/// of its own. Functions are not part of it (see <see cref="PerTurnSettings.ToPrimer"/>): the call that takes the
/// process adds the in-process MCP server, so conversations with and without functions share prepared processes.
/// </summary>
internal sealed class ReadyPrimer
{
    private readonly string _initialize;
    private readonly IReadOnlyList<string> _settings;

    public ReadyPrimer(JsonObject initialize, IEnumerable<JsonObject> settings)
    {
        this._initialize = initialize.ToJsonString();
        this._settings = [.. settings.Select(s => s.ToJsonString())];
        this.Key = string.Join('\n', [this._initialize, .. this._settings]);
    }

    /// <summary>Equal for two conversations whose late settings are the same.</summary>
    public string Key { get; }

    public JsonObject InitializeRequest() => JsonNode.Parse(this._initialize)!.AsObject();

    public IEnumerable<JsonObject> SettingRequests() => this._settings.Select(s => JsonNode.Parse(s)!.AsObject());
}
