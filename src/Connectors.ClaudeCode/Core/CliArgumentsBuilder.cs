// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Globalization;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Turns options and a turn request into the CLI command line and environment.</summary>
internal static class CliArgumentsBuilder
{
    /// <summary>Builds the launch spec. <paramref name="systemPromptFile"/>, when given, replaces the inline system prompt.</summary>
    public static CliLaunchSpec Build(ClaudeCodeOptions options, LaunchContext launch, ChatTurnRequest request, string executablePath, string? interpreter, string? systemPromptFile)
    {
        var spec = new CliLaunchSpec(executablePath)
        {
            Interpreter = interpreter,
            WorkingDirectory = launch.WorkingDirectory,
            Reusable = systemPromptFile is null,
            InitializeRequest = CliHandshake.InitializeRequest(request.FunctionCalling is not null),
            EarlyControlHandler = request.FunctionCalling is null ? null : McpMessages.AnswerHandshakeAsync,
        };

        var args = spec.Arguments;
        args.Add("--output-format");
        args.Add("stream-json");
        args.Add("--verbose");
        args.Add("--input-format");
        args.Add("stream-json");
        args.Add("--include-partial-messages");

        if (launch.Bare)
        {
            // No environment, model-name or date reminders in the request (and a faster start); API-key logins only.
            args.Add("--bare");
        }

        if (options.DisableBuiltInTools)
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

        if (request.FunctionCalling is not null)
        {
            // Every tool call asks the host first: that is where manual mode stops the turn and auto mode waits
            // for the whole message, so that all of its calls are known before any runs.
            args.Add("--permission-prompt-tool=stdio");
        }

        foreach (var argument in request.ExtraArguments)
        {
            args.Add(argument);
        }

        foreach (var argument in options.AdditionalCliArguments)
        {
            args.Add(argument);
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

        if (options.MaxRetries is { } retries)
        {
            env["CLAUDE_CODE_MAX_RETRIES"] = retries.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var pair in options.EnvironmentVariables)
        {
            env[pair.Key] = pair.Value;
        }

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
}
