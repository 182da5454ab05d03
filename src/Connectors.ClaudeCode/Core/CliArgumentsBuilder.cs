// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Credentials;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Where options and request settings become the CLI's command line and environment. A process started for one
/// request gets <see cref="Build"/>; a ready process started before any request gets <see cref="BuildReady"/>, the
/// same without the request's parts, which it takes later through <see cref="PerTurnSettings"/>.
/// </summary>
internal static class CliArgumentsBuilder
{
    /// <summary>The Bun runtime's idle garbage-collection interval, in milliseconds (its default is about 1 s).</summary>
    public const string IdleCollectionIntervalVariable = "BUN_GC_TIMER_INTERVAL";

    /// <summary>Builds the launch spec for a request. <paramref name="systemPromptFile"/>, when given, replaces the inline system prompt.</summary>
    public static CliLaunchSpec Build(ClaudeCodeOptions options, LaunchContext launch, ChatTurnRequest request, string executablePath, string? interpreter, string? systemPromptFile)
    {
        CheckLimits(options, request);
        var spec = new CliLaunchSpec(executablePath)
        {
            Interpreter = interpreter,
            WorkingDirectory = launch.WorkingDirectory,
            Reusable = systemPromptFile is null,
        };

        AddBase(spec, options, launch.BareFor(request), request.WebSearch);
        var args = spec.Arguments;
        if (!string.IsNullOrEmpty(request.ModelId))
        {
            args.Add("--model=" + request.ModelId);
        }

        // The equals form keeps a prompt that starts with '-' from being read as a flag. An empty prompt means
        // "no system prompt", not Claude Code's own agent prompt.
        if (systemPromptFile is not null)
        {
            args.Add("--system-prompt-file=" + systemPromptFile);
        }
        else
        {
            args.Add("--system-prompt=" + (request.SystemPrompt ?? string.Empty));
        }

        if (request.McpServers.Count > 0)
        {
            // Only the request's servers: --strict-mcp-config leaves out every MCP server of the user's own settings.
            var (config, headerEnvironment) = HostedMcpServer.ConfigJson(request.McpServers);
            args.Add("--mcp-config=" + config);
            args.Add("--strict-mcp-config");
            foreach (var (name, value) in headerEnvironment)
            {
                spec.Environment[name] = value;
            }
        }

        if (request.FunctionCalling is not null || options.BuiltInTools.Count > 0 || request.HasHostedTools)
        {
            // Every tool call asks the host first: that is where manual mode stops the turn and auto mode waits
            // for the whole message, so that all of its calls are known before any runs.
            args.Add("--permission-prompt-tool=stdio");
        }

        foreach (var argument in request.ExtraArguments)
        {
            args.Add(argument);
        }

        AddOptionArgumentsAndEnvironment(spec, options);

        var env = spec.Environment;
        foreach (var pair in request.ExtraEnvironment)
        {
            env[pair.Key] = pair.Value;
        }

        // Parameters the CLI has no flag for; it merges this object into the top level of every request body.
        if (request.ExtraBody.Count > 0)
        {
            env[ExecutionSettingsMapper.ExtraBodyVariable] = request.ExtraBody.ToJsonString();
        }

        return spec;
    }

    /// <summary>
    /// The launch spec of a ready process: everything the options fix, nothing of a request. No system prompt flag
    /// (the late <c>initialize</c> sets it), and every tool call asks the host, in case the request offers functions.
    /// </summary>
    public static CliLaunchSpec BuildReady(ClaudeCodeOptions options, LaunchContext launch, string executablePath, string? interpreter)
    {
        var spec = new CliLaunchSpec(executablePath)
        {
            Interpreter = interpreter,
            WorkingDirectory = launch.WorkingDirectory,
        };

        AddBase(spec, options, launch.Bare, webSearch: false);
        spec.Arguments.Add("--permission-prompt-tool=stdio");
        AddOptionArgumentsAndEnvironment(spec, options);
        return spec;
    }

    /// <summary>Refuses, naming the setting, any value that could not travel on the command line or in the environment.</summary>
    private static void CheckLimits(ClaudeCodeOptions options, ChatTurnRequest request)
    {
        CommandLineLimits.Check(request.ModelId, "The model id (modelId, ClaudeCodeOptions.ModelId or the settings' ModelId)");
        CommandLineLimits.Check(request.SystemPrompt, "The system prompt (system and developer messages, ChatSystemPrompt, Instructions)", lengthMatters: false);
        foreach (var argument in request.ExtraArguments)
        {
            CommandLineLimits.Check(argument, $"The execution setting behind '{argument[..Math.Min(argument.Length, 40)]}' (FallbackModel, ResponseFormat, …)");
        }

        if (request.ExtraBody.Count > 0)
        {
            CommandLineLimits.Check(request.ExtraBody.ToJsonString(), "The request body settings (StopSequences, User, Temperature, TopP, TopK, tool choice), sent in CLAUDE_CODE_EXTRA_BODY,");
        }

        if (request.McpServers.Count > 0)
        {
            CommandLineLimits.Check(HostedMcpServer.ConfigJson(request.McpServers).Json, "The MCP server configuration (McpServers, HostedMcpServerTool)");
        }

        foreach (var argument in options.AdditionalCliArguments)
        {
            CommandLineLimits.Check(argument, "An entry of ClaudeCodeOptions.AdditionalCliArguments");
        }

        foreach (var (name, value) in options.EnvironmentVariables)
        {
            CommandLineLimits.Check(name + "=" + value, $"ClaudeCodeOptions.EnvironmentVariables[{name}]");
        }
    }

    private static void AddBase(CliLaunchSpec spec, ClaudeCodeOptions options, bool bare, bool webSearch)
    {
        var args = spec.Arguments;
        args.Add("--output-format");
        args.Add("stream-json");
        args.Add("--verbose");
        args.Add("--input-format");
        args.Add("stream-json");
        args.Add("--include-partial-messages");

        if (bare)
        {
            // No environment, model-name or date reminders in the request (and a faster start); API-key logins only.
            args.Add("--bare");
        }

        // A request with web search adds WebSearch to the app's tools for its own process only: --tools is fixed at
        // spawn, so the flag is part of the process's signature and such a request never shares a process without it.
        IReadOnlyList<string> tools = webSearch ? BuiltInToolNames.WithWebSearch(options.BuiltInTools) : [.. options.BuiltInTools];
        if (tools.Count > 0)
        {
            // Only the tools the app named. The CLI runs read-only tools inside its working directory without asking
            // anyone (observed on 2.1.328: Read went ahead with no can_use_tool); an "ask" rule for every named tool
            // makes each call a permission prompt, which --permission-prompt-tool=stdio sends to ToolPermission.
            args.Add("--tools=" + string.Join(',', tools));
            args.Add("--settings=" + BuiltInToolNames.AskRules(tools));
        }
        else if (options.DisableBuiltInTools)
        {
            args.Add("--tools=");
        }

        if (options.IgnoreUserSettings)
        {
            args.Add("--setting-sources=");
        }

        if (!options.PersistSessions)
        {
            args.Add("--no-session-persistence");
        }

        var env = spec.Environment;

        // A host that itself runs inside Claude Code must not make the child believe it is nested.
        env["CLAUDECODE"] = null;

        // Kernel functions must reach the API as plain tools, not deferred behind ToolSearch.
        env["ENABLE_TOOL_SEARCH"] = "false";
        if (options.DisableNonEssentialTraffic)
        {
            env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        }

        // The caller owns the history: the CLI must neither summarise it nor pad it with token-budget reminders.
        env["DISABLE_AUTO_COMPACT"] = "1";
        if (!options.IncludeTokenBudgetReminders)
        {
            env["CLAUDE_CODE_TOTAL_TOKENS_REMINDER"] = "off";
        }

        if (options.DisablePromptCaching)
        {
            env["DISABLE_PROMPT_CACHING"] = "1";
        }

        if (options.MaxRetries is { } retries)
        {
            env["CLAUDE_CODE_MAX_RETRIES"] = retries.ToString(CultureInfo.InvariantCulture);
        }

        // The CLI's runtime (Bun) collects garbage on a timer about a second after a process goes quiet: 100-150 ms of
        // CPU after each turn (measured on CLI 2.1.328), on a core the connector's other processes are using for
        // their calls. Ready processes and live sessions sit quiet between calls, so here that collection waits for
        // 30 s of quiet instead; the memory is still given back then (a 30-turn session: 252 -> 191 MB at ~30 s).
        // A value the machine already sets is left alone; ClaudeCodeOptions.EnvironmentVariables can change it.
        if (Environment.GetEnvironmentVariable(IdleCollectionIntervalVariable) is null)
        {
            env[IdleCollectionIntervalVariable] = "30000";
        }
    }

    /// <summary>The app's own additions come last, so that they can override any default above.</summary>
    private static void AddOptionArgumentsAndEnvironment(CliLaunchSpec spec, ClaudeCodeOptions options)
    {
        foreach (var argument in options.AdditionalCliArguments)
        {
            spec.Arguments.Add(argument);
        }

        foreach (var pair in options.EnvironmentVariables)
        {
            spec.Environment[pair.Key] = pair.Value;
        }

        // A Foundry endpoint named in the options wins over a stray variable: it is the app's explicit choice.
        if (options.FoundryEndpoint is { } foundry)
        {
            spec.Environment["CLAUDE_CODE_USE_FOUNDRY"] = "1";
            spec.Environment["ANTHROPIC_FOUNDRY_BASE_URL"] = FoundryEndpointRule.BaseUrl(foundry);
            spec.Environment["ANTHROPIC_FOUNDRY_RESOURCE"] = null;
        }
    }
}
