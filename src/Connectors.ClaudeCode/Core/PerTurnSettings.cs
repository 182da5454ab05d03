// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The part of a request a ready process (spawned before the request, with no request settings) can still take,
/// through the control protocol, before its first turn: the system prompt and the in-process tools in a late
/// <c>initialize</c>, thinking through <c>set_max_thinking_tokens</c>, and the model, output limit and extra request
/// body through <c>apply_flag_settings</c> (all verified on CLI 2.1.328 to give the same request as the flags at
/// spawn). Everything else (effort, adaptive thinking, max turns, budget, fallback model, a JSON schema) exists only
/// as a spawn flag, so such a request starts its own process.
/// </summary>
internal sealed class PerTurnSettings
{
    private const string DisabledThinkingArgument = "--thinking=disabled";
    private const string ThinkingBudgetPrefix = "--max-thinking-tokens=";

    private PerTurnSettings(ChatTurnRequest request, int? maxThinkingTokens)
    {
        this.Request = request;
        this.MaxThinkingTokens = maxThinkingTokens;
    }

    private ChatTurnRequest Request { get; }

    /// <summary>0 for thinking off, a budget, or null for the CLI's default.</summary>
    public int? MaxThinkingTokens { get; }

    /// <summary>The settings, or null when the request needs a flag that only exists at spawn.</summary>
    public static PerTurnSettings? TryCreate(ChatTurnRequest request)
    {
        if (request.HasHostedTools)
        {
            // A ready process was spawned without WebSearch in --tools and without MCP servers, which no control
            // request this connector relies on can add.
            return null;
        }

        int? thinking = null;
        foreach (var argument in request.ExtraArguments)
        {
            if (argument == DisabledThinkingArgument)
            {
                thinking = 0;
            }
            else if (argument.StartsWith(ThinkingBudgetPrefix, StringComparison.Ordinal)
                && int.TryParse(argument.AsSpan(ThinkingBudgetPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var budget))
            {
                thinking = budget;
            }
            else
            {
                return null;
            }
        }

        return new PerTurnSettings(request, thinking);
    }

    /// <summary>
    /// The settings as a primer for a ready process, without the in-process MCP server even when functions are
    /// offered. A process given it in its <c>initialize</c> asks for the tool list as soon as the handshake is done,
    /// before any call owns it, and the CLI gives that request up after 30 s, leaving the server connected with no
    /// tools (verified on CLI 2.1.328; an error answer instead only makes it ask again on a back-off). The call that
    /// takes the process adds the server (<see cref="ActiveTurn.AddInProcessServerAsync"/>) and answers its handshake.
    /// </summary>
    public ReadyPrimer ToPrimer() => new(this.Initialize(inProcessServer: false), this.SettingRequests());

    /// <summary>
    /// The late <c>initialize</c> of a call that owns the process: the system prompt as the only prompt (an empty one
    /// means none, not Claude Code's own), and the in-process MCP server when functions are offered.
    /// </summary>
    public JsonObject InitializeRequest() => this.Initialize(this.Request.FunctionCalling is not null);

    private JsonObject Initialize(bool inProcessServer)
        => CliFrames.Initialize(inProcessServer ? FunctionCallingTurn.SdkMcpServers() : null, this.Request.SystemPrompt ?? string.Empty);

    /// <summary>The control requests that set thinking, the model and the environment-borne settings, in order.</summary>
    public IEnumerable<JsonObject> SettingRequests()
    {
        if (this.MaxThinkingTokens is { } tokens)
        {
            yield return CliFrames.SetMaxThinkingTokens(tokens);
        }

        var settings = new JsonObject();
        if (!string.IsNullOrEmpty(this.Request.ModelId))
        {
            settings["model"] = this.Request.ModelId;
        }

        var env = new JsonObject();
        foreach (var (name, value) in this.Request.ExtraEnvironment)
        {
            env[name] = value ?? string.Empty;
        }

        if (this.Request.ExtraBody.Count > 0)
        {
            env[ExecutionSettingsMapper.ExtraBodyVariable] = this.Request.ExtraBody.ToJsonString();
        }

        if (env.Count > 0)
        {
            settings["env"] = env;
        }

        if (settings.Count > 0)
        {
            yield return CliFrames.ApplyFlagSettings(settings);
        }
    }
}
