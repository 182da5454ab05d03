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
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>The <c>initialize</c> exchange: what the connector asks, and what it requires of the answer.</summary>
internal static class CliHandshake
{
    /// <summary>The oldest CLI the connector supports: the stream-json control protocol and <c>--tools</c> as used here.</summary>
    public static readonly Version MinimumCliVersion = new(2, 1, 0);

    /// <summary>The <c>initialize</c> request for a turn, with the in-process MCP server when functions are offered.</summary>
    public static JsonObject InitializeRequest(bool withFunctions)
    {
        return CliFrames.Initialize(withFunctions ? FunctionCallingTurn.SdkMcpServers() : null);
    }

    /// <summary>
    /// Sends <paramref name="initialize"/> and the control requests that follow it, checks the answer
    /// (<see cref="Check"/>), and maps a missing answer within <paramref name="startupTimeout"/> and protocol faults to
    /// the connector's exceptions.
    /// </summary>
    public static async Task InitializeAsync(ICliConnection connection, JsonObject initialize, IEnumerable<JsonObject> settings, TimeSpan startupTimeout, bool bare, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(startupTimeout);
        try
        {
            var initialized = connection.SendControlRequestAsync(initialize, timeout.Token);

            // The CLI reads its input in order: the settings can follow the initialize without waiting for its answer
            // (one round trip instead of three on a ready process).
            var set = settings.Select(request => connection.SendControlRequestAsync(request, timeout.Token)).ToList();
            try
            {
                Check(await initialized.ConfigureAwait(false), connection.StderrTail, bare);
            }
            finally
            {
                // Observed even when the initialize failed, so that no answer is left unawaited.
                await Task.WhenAll(set).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            await Task.WhenAll(set).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClaudeCodeProcessException(
                $"The Claude Code CLI did not answer 'initialize' within {startupTimeout.TotalSeconds:0.#} s. stderr: {connection.StderrTail}")
            {
                StderrTail = connection.StderrTail,
            };
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }
    }

    /// <summary>Throws when the CLI is too old or has no credentials.</summary>
    public static void Check(JsonElement response, string stderrTail, bool bare = false)
    {
        if (response.GetStringOrNull("claude_code_version") is { } versionText && TryParseVersion(versionText, out var version) && version < MinimumCliVersion)
        {
            throw new ClaudeCodeCliVersionException(
                $"Claude Code CLI {versionText} is too old; the connector needs {MinimumCliVersion} or later. Update it with 'npm install -g @anthropic-ai/claude-code@latest'.")
            {
                FoundVersion = versionText,
                MinimumVersion = MinimumCliVersion.ToString(),
            };
        }

        // tokenSource "none" with no API key on the first-party provider is the CLI's own "Not logged in" state;
        // Bedrock, Vertex and key helpers report other values and pass.
        if (response.GetPropertyOrNull("account") is { } account
            && account.GetStringOrNull("tokenSource") == "none"
            && account.GetStringOrNull("apiKeySource") is null or "none"
            && account.GetStringOrNull("apiProvider") == "firstParty")
        {
            throw new ClaudeCodeNotLoggedInException($"Claude Code is not logged in. {ErrorMapper.AdviceForLogin(bare)}")
            {
                StderrTail = stderrTail,
            };
        }
    }

    private static bool TryParseVersion(string text, out Version version)
    {
        var end = 0;
        while (end < text.Length && (char.IsDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        return Version.TryParse(text.AsSpan(0, end), out version!);
    }
}
