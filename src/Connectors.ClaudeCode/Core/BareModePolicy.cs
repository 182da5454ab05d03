// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Decides whether the CLI runs with <c>--bare</c>. Bare mode authenticates only with an API key, an
/// <c>apiKeyHelper</c> or a cloud provider, so <see cref="ClaudeCodeBareMode.Auto"/> looks at the environment the CLI
/// will get (the host's, changed by <see cref="ClaudeCodeOptions.EnvironmentVariables"/>) and at the settings passed
/// on its command line.
/// </summary>
internal static class BareModePolicy
{
    private static readonly string[] s_cloudProviderSwitches = ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"];

    /// <summary>Whether to run bare, and why, for logs.</summary>
    public static (bool Bare, string Reason) Decide(ClaudeCodeOptions options, IDictionary inheritedEnvironment)
    {
        switch (options.BareMode)
        {
            case ClaudeCodeBareMode.Always:
                return (true, "ClaudeCodeOptions.BareMode is Always");
            case ClaudeCodeBareMode.Never:
                return (false, "ClaudeCodeOptions.BareMode is Never");
        }

        string? Variable(string name)
        {
            if (options.EnvironmentVariables.TryGetValue(name, out var value))
            {
                return value;
            }

            return inheritedEnvironment[name] as string;
        }

        // Bare mode keeps only Bash, Edit and Read of the built-in tools; a tool the app asked for must not vanish.
        foreach (var tool in options.BuiltInTools)
        {
            if (!BuiltInTools.BuiltInToolNames.InBareMode.Contains(tool))
            {
                return (false, $"ClaudeCodeOptions.BuiltInTools names {tool}, which bare mode removes");
            }
        }

        if (options.FoundryEndpoint is not null)
        {
            return (true, "ClaudeCodeOptions.FoundryEndpoint is set");
        }

        foreach (var name in s_cloudProviderSwitches)
        {
            if (IsTruthy(Variable(name)))
            {
                return (true, name + " is set");
            }
        }

        if (!string.IsNullOrEmpty(Variable("ANTHROPIC_API_KEY")))
        {
            return (true, "ANTHROPIC_API_KEY is set");
        }

        // A bearer token for a gateway (verified on CLI 2.1.328: bare mode sends it as Authorization).
        if (!string.IsNullOrEmpty(Variable("ANTHROPIC_AUTH_TOKEN")))
        {
            return (true, "ANTHROPIC_AUTH_TOKEN is set");
        }

        if (HasApiKeyHelper(options.AdditionalCliArguments))
        {
            return (true, "an apiKeyHelper is configured in --settings");
        }

        return (false, "no API key, apiKeyHelper or cloud provider is configured (a subscription login needs Claude Code's normal mode)");
    }

    private static bool IsTruthy(string? value)
        => value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a <c>--settings</c> argument (inline JSON or a file) names an <c>apiKeyHelper</c>.</summary>
    private static bool HasApiKeyHelper(IList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            string? value = null;
            if (arguments[i].StartsWith("--settings=", StringComparison.Ordinal))
            {
                value = arguments[i]["--settings=".Length..];
            }
            else if (arguments[i] == "--settings" && i + 1 < arguments.Count)
            {
                value = arguments[i + 1];
            }

            if (value is not null && SettingsHaveApiKeyHelper(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SettingsHaveApiKeyHelper(string value)
    {
        try
        {
            var text = value.TrimStart().StartsWith('{') ? value : File.Exists(value) ? File.ReadAllText(value) : null;
            return text is not null && JsonNode.Parse(text) is JsonObject settings && settings["apiKeyHelper"] is JsonValue;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // Settings the connector cannot read are the CLI's to report; they do not make a login.
            return false;
        }
    }
}
