// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// A request's web search and its domain lists. The CLI has no flag for them: the model fills the WebSearch tool's
/// <c>allowed_domains</c>/<c>blocked_domains</c>, which the CLI copies into the API's web_search tool (observed on
/// 2.1.328), so the connector rewrites that input in the permission path, before the call runs.
/// </summary>
internal sealed class WebSearchPolicy
{
    private WebSearchPolicy(IReadOnlyList<string> allowed, IReadOnlyList<string> blocked)
    {
        this.AllowedDomains = allowed;
        this.BlockedDomains = blocked;
    }

    public IReadOnlyList<string> AllowedDomains { get; }

    public IReadOnlyList<string> BlockedDomains { get; }

    /// <summary>The policy of <paramref name="settings"/>, or null when they do not enable web search; throws for lists the API would refuse.</summary>
    public static WebSearchPolicy? From(ClaudeCodeWebSearch? settings)
    {
        if (settings is not { Enabled: true })
        {
            return null;
        }

        var allowed = Clean(settings.AllowedDomains, "AllowedDomains (allowed_domains)");
        var blocked = Clean(settings.BlockedDomains, "BlockedDomains (blocked_domains)");
        if (allowed.Count > 0 && blocked.Count > 0)
        {
            // The API's web_search tool takes one list or the other, never both.
            throw new ArgumentException("WebSearch sets both AllowedDomains and BlockedDomains; the web search tool takes one or the other.", nameof(settings));
        }

        return new WebSearchPolicy(allowed, blocked);
    }

    /// <summary>
    /// The model's input with the app's lists: an allow list replaces the model's lists; a block list is added to the
    /// model's, whose allow list is dropped (the API refuses both).
    /// </summary>
    public JsonElement Apply(JsonElement input)
    {
        if (this.AllowedDomains.Count == 0 && this.BlockedDomains.Count == 0)
        {
            return input;
        }

        var json = JsonNode.Parse(input.GetRawText()) as JsonObject ?? [];
        if (this.AllowedDomains.Count > 0)
        {
            json["allowed_domains"] = ToArray(this.AllowedDomains);
            json.Remove("blocked_domains");
        }
        else
        {
            var modelBlocked = (json["blocked_domains"] as JsonArray ?? []).Select(d => d?.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : null).OfType<string>();
            json["blocked_domains"] = ToArray(modelBlocked.Concat(this.BlockedDomains).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
            json.Remove("allowed_domains");
        }

        return JsonSerializer.SerializeToElement(json);
    }

    private static JsonArray ToArray(IReadOnlyList<string> domains) => new(domains.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray());

    private static List<string> Clean(IList<string>? domains, string name)
    {
        var list = new List<string>();
        foreach (var domain in domains ?? [])
        {
            if (string.IsNullOrWhiteSpace(domain))
            {
                throw new ArgumentException($"WebSearch.{name} holds a blank domain.", nameof(domains));
            }

            list.Add(domain.Trim());
        }

        return list;
    }
}
