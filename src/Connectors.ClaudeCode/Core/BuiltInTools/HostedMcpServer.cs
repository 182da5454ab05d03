// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// One of a request's remote MCP servers, checked: what the CLI connects to (<see cref="ConfigJson"/>) and the rules
/// the connector applies to its calls in the permission path (allowed tools, approval).
/// </summary>
internal sealed partial class HostedMcpServer
{
    /// <summary>Prefix of the environment variables that carry header values (the CLI expands <c>${NAME}</c> in MCP configs).</summary>
    public const string HeaderVariablePrefix = "CLAUDE_CODE_CONNECTOR_MCP_HEADER_";

    private readonly IReadOnlySet<string>? _allowedTools;
    private readonly bool _approvalByDefault;
    private readonly IReadOnlySet<string> _alwaysApprove;
    private readonly IReadOnlySet<string> _neverApprove;

    private HostedMcpServer(string name, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlySet<string>? allowedTools, bool approvalByDefault, IReadOnlySet<string> alwaysApprove, IReadOnlySet<string> neverApprove)
    {
        this.Name = name;
        this.Url = url;
        this.Headers = headers;
        this._allowedTools = allowedTools;
        this._approvalByDefault = approvalByDefault;
        this._alwaysApprove = alwaysApprove;
        this._neverApprove = neverApprove;
    }

    /// <summary>The server's name.</summary>
    public string Name { get; }

    /// <summary>The server's URL.</summary>
    public Uri Url { get; }

    /// <summary>The headers sent to it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>What the CLI puts before the server's tool names.</summary>
    public string ModelPrefix => "mcp__" + this.Name + "__";

    /// <summary>True when the app lets the tool run at all.</summary>
    public bool Allows(string tool) => this._allowedTools is null || this._allowedTools.Contains(tool);

    /// <summary>True when a call of the tool needs the app's approval.</summary>
    public bool NeedsApproval(string tool) => this._alwaysApprove.Contains(tool) || (this._approvalByDefault && !this._neverApprove.Contains(tool));

    /// <summary>The servers of the settings, checked: throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static IReadOnlyList<HostedMcpServer> From(IEnumerable<ClaudeCodeMcpServer>? servers)
    {
        var checkedServers = new List<HostedMcpServer>();
        foreach (var server in servers ?? [])
        {
            if (server is null)
            {
                throw new ArgumentException("McpServers holds a null entry.", nameof(servers));
            }

            if (string.IsNullOrEmpty(server.Name) || !NamePattern().IsMatch(server.Name))
            {
                throw new ArgumentException($"The MCP server name '{server.Name}' must be letters, digits, '_' or '-': the model sees it in its tool names.", nameof(servers));
            }

            if (string.Equals(server.Name, ToolNaming.ServerName, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The MCP server name '{server.Name}' is taken by the connector's own server for kernel functions.", nameof(servers));
            }

            if (checkedServers.Any(s => string.Equals(s.Name, server.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"Two MCP servers are named '{server.Name}'.", nameof(servers));
            }

            if (server.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException($"The MCP server '{server.Name}' needs an absolute http(s) URL (got '{server.Url}').", nameof(servers));
            }

            var headers = new List<KeyValuePair<string, string>>();
            foreach (var (header, value) in server.Headers ?? new Dictionary<string, string>())
            {
                if (string.IsNullOrWhiteSpace(header) || value is null || header.Any(char.IsControl) || value.Any(c => c is '\r' or '\n' or '\0'))
                {
                    throw new ArgumentException($"The MCP server '{server.Name}' has an invalid header '{header}'.", nameof(servers));
                }

                headers.Add(new(header, value));
            }

            checkedServers.Add(new HostedMcpServer(
                server.Name,
                url,
                headers,
                server.AllowedTools is null ? null : new HashSet<string>(server.AllowedTools, StringComparer.Ordinal),
                server.RequireApproval == ClaudeCodeMcpApproval.Always,
                new HashSet<string>(server.AlwaysRequireApprovalTools ?? [], StringComparer.Ordinal),
                new HashSet<string>(server.NeverRequireApprovalTools ?? [], StringComparer.Ordinal)));
        }

        return checkedServers;
    }

    /// <summary>
    /// The CLI's MCP configuration for <paramref name="servers"/> (<c>--mcp-config</c>), and the environment that
    /// carries the header values: a header may hold a secret, and a process's command line is readable by every user
    /// of the machine, its environment only by its owner.
    /// </summary>
    public static (string Json, IReadOnlyDictionary<string, string> Environment) ConfigJson(IReadOnlyList<HostedMcpServer> servers)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new JsonObject();
        foreach (var server in servers)
        {
            var headers = new JsonObject();
            foreach (var (header, value) in server.Headers)
            {
                var variable = HeaderVariablePrefix + environment.Count.ToString(CultureInfo.InvariantCulture);
                environment[variable] = value;
                headers[header] = "${" + variable + "}";
            }

            var entry = new JsonObject { ["type"] = "http", ["url"] = server.Url.AbsoluteUri };
            if (headers.Count > 0)
            {
                entry["headers"] = headers;
            }

            entries[server.Name] = entry;
        }

        return (new JsonObject { ["mcpServers"] = entries }.ToJsonString(), environment);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
