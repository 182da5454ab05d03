// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>The CLI the README's commands install into <c>.claude-cli/</c> at the repository root.</summary>
internal static class PinnedCli
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("CLAUDE_CODE_CLI_PATH") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, ".claude-cli", "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The pinned Claude Code CLI is not installed. Run the README's test command (./build.sh test), which installs it into .claude-cli/.");
    }
}
