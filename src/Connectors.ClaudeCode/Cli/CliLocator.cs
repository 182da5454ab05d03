// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// Finds the Claude Code CLI: an explicit path, then <c>CLAUDE_CODE_CLI_PATH</c>, then a repository-local
/// install (<c>.claude-cli/</c> in this or a parent folder), then <c>PATH</c>, then the usual install folders.
/// </summary>
internal static class CliLocator
{
    /// <summary>The environment variable that names the CLI when no path is configured.</summary>
    public const string PathVariable = "CLAUDE_CODE_CLI_PATH";

    /// <summary>The folder the repository's scripts install the pinned CLI into.</summary>
    public const string LocalInstallFolder = ".claude-cli";

    private static readonly bool s_isWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Returns the launch target for the CLI, or throws <see cref="CliNotFoundException"/> naming every place it looked.</summary>
    public static (string ExecutablePath, string? Interpreter) Locate(string? configuredPath, Func<string, string?>? getEnvironment = null)
    {
        getEnvironment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Explicit(configuredPath, "ClaudeCodeOptions.CliPath");
        }

        if (getEnvironment(PathVariable) is { Length: > 0 } fromEnvironment)
        {
            return Explicit(fromEnvironment, PathVariable);
        }

        var tried = new List<string>();
        foreach (var candidate in Candidates(getEnvironment))
        {
            tried.Add(candidate);
            if (IsExecutableFile(candidate))
            {
                return (candidate, InterpreterFor(candidate));
            }
        }

        throw new CliNotFoundException(
            "The Claude Code CLI was not found. Install it with 'npm install -g @anthropic-ai/claude-code' (then run 'claude' once to log in), " +
            $"or set ClaudeCodeOptions.CliPath or the {PathVariable} environment variable to its path. Looked in: {string.Join(", ", tried)}.",
            attemptedPath: null);
    }

    private static (string, string?) Explicit(string path, string source)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliNotFoundException(
                $"The Claude Code CLI path '{full}' (from {source}) does not exist. Install the CLI with 'npm install -g @anthropic-ai/claude-code' or fix the path.",
                full);
        }

        if (IsBatchShim(full, s_isWindows))
        {
            throw new CliNotFoundException(
                $"The Claude Code CLI path '{full}' is a batch shim; it would run through cmd.exe, which re-parses arguments. Point to claude.exe instead.",
                full);
        }

        return (full, InterpreterFor(full));
    }

    private static string? InterpreterFor(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Equals(".js", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".mjs", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".cjs", StringComparison.OrdinalIgnoreCase)
            ? "node"
            : null;
    }

    private static IEnumerable<string> Candidates(Func<string, string?> getEnvironment)
    {
        var binaryName = s_isWindows ? "claude.exe" : "claude";

        // The repository's own pinned install, found from the app's folder or the current folder upward.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var local = Path.Combine(directory.FullName, LocalInstallFolder, "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
                if (File.Exists(local))
                {
                    yield return local;
                    break;
                }
            }
        }

        foreach (var candidate in PathCandidates(getEnvironment("PATH"), s_isWindows, Path.PathSeparator))
        {
            yield return candidate;
        }

        var home = getEnvironment(s_isWindows ? "USERPROFILE" : "HOME");
        if (!string.IsNullOrEmpty(home))
        {
            yield return Path.Combine(home, ".npm-global", "bin", binaryName);
            yield return Path.Combine(home, ".local", "bin", binaryName);
            yield return Path.Combine(home, ".claude", "local", binaryName);
            yield return Path.Combine(home, "node_modules", ".bin", binaryName);
        }

        if (!s_isWindows)
        {
            yield return "/usr/local/bin/claude";
            yield return "/opt/homebrew/bin/claude";
        }
    }

    /// <summary>A Windows batch file: started, it would run through cmd.exe, which parses the arguments again.</summary>
    internal static bool IsBatchShim(string path, bool windows)
        => windows && (path.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".bat", StringComparison.OrdinalIgnoreCase));

    /// <summary>Where the CLI may be on <c>PATH</c>: the binary itself, never npm's <c>.cmd</c> shim.</summary>
    internal static IEnumerable<string> PathCandidates(string? pathVariable, bool windows, char separator)
    {
        var binaryName = windows ? "claude.exe" : "claude";
        foreach (var directory in (pathVariable ?? string.Empty).Split(separator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(directory.Trim('"'), binaryName);
            if (windows)
            {
                // npm on Windows puts a claude.cmd shim on PATH; running it would go through cmd.exe, which
                // re-parses arguments. Start the binary the global install keeps next to the shim instead.
                yield return Path.Combine(directory.Trim('"'), "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
            }
        }
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
