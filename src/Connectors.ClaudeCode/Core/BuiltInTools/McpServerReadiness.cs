// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// Makes sure a process's MCP servers are usable before the model runs. The CLI connects to them while it starts, and
/// a server it could not reach would only be missing from the model's tools; so the connector asks (<c>mcp_status</c>)
/// until each is connected, and a server that failed, needs a login, or is still connecting at the deadline ends the
/// call with <see cref="ClaudeCodeMcpServerException"/> before any API request. Then it hides the tools the app does not
/// allow (the CLI names a server's tools only once connected).
/// </summary>
internal static class McpServerReadiness
{
    /// <summary>How soon to ask again: the CLI reports no change of state on its own.</summary>
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task WaitAsync(ICliConnection connection, IReadOnlyList<HostedMcpServer> servers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var waitingFor = servers[0].Name;
        try
        {
            while (true)
            {
                var entries = await StatusAsync(connection, deadline.Token).ConfigureAwait(false);
                string? pending = null;
                foreach (var server in servers)
                {
                    var entry = entries.FirstOrDefault(e => e.GetStringOrNull("name") == server.Name);
                    var state = entry.ValueKind == JsonValueKind.Object ? entry.GetStringOrNull("status") : null;
                    if (state is null or "pending")
                    {
                        pending ??= server.Name;
                    }
                    else if (state != "connected")
                    {
                        throw new ClaudeCodeMcpServerException(
                            $"Claude Code could not use the MCP server '{server.Name}' ({server.Url}): {state}{(entry.GetStringOrNull("error") is { } error ? ", " + error : string.Empty)}.")
                        {
                            ServerName = server.Name,
                            Status = state,
                        };
                    }
                }

                if (pending is null)
                {
                    await HideDisallowedToolsAsync(connection, servers, entries, deadline.Token).ConfigureAwait(false);
                    return;
                }

                waitingFor = pending;
                await Task.Delay(s_pollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new ClaudeCodeMcpServerException(
                $"Claude Code did not connect to the MCP server '{waitingFor}' within {timeout.TotalSeconds:0.#} s (ClaudeCodeOptions.McpConnectTimeout).")
            {
                ServerName = waitingFor,
                Status = "pending",
            };
        }
    }

    /// <summary>The CLI's entries for its MCP servers (name, status, error, tools).</summary>
    private static async Task<IReadOnlyList<JsonElement>> StatusAsync(ICliConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var status = await connection.SendControlRequestAsync(CliFrames.McpStatus(), cancellationToken).ConfigureAwait(false);
            return status.GetPropertyOrNull("mcpServers") is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : [];
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }
    }

    /// <summary>
    /// Takes the tools the app does not allow out of the model's tool list: a deny rule per tool is the one way the CLI
    /// drops some of a server's tools (a pattern drops all), and such rules join the flag settings' ask rules.
    /// </summary>
    private static async Task HideDisallowedToolsAsync(ICliConnection connection, IReadOnlyList<HostedMcpServer> servers, IReadOnlyList<JsonElement> entries, CancellationToken cancellationToken)
    {
        var deny = new JsonArray();
        foreach (var entry in entries)
        {
            if (servers.FirstOrDefault(s => s.Name == entry.GetStringOrNull("name")) is not { } server
                || entry.GetPropertyOrNull("tools") is not { ValueKind: JsonValueKind.Array } tools)
            {
                continue;
            }

            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.GetStringOrNull("name") is { } name && !server.Allows(name))
                {
                    deny.Add(server.ModelPrefix + name);
                }
            }
        }

        if (deny.Count > 0)
        {
            try
            {
                await connection.SendControlRequestAsync(CliFrames.ApplyFlagSettings(new JsonObject { ["permissions"] = new JsonObject { ["deny"] = deny } }), cancellationToken).ConfigureAwait(false);
            }
            catch (CliException ex)
            {
                throw ErrorMapper.FromCliException(ex);
            }
        }
    }
}
