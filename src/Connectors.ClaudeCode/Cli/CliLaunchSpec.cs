// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>Everything fixed when a CLI process starts: program, argv, environment and working directory.</summary>
internal sealed class CliLaunchSpec
{
    public CliLaunchSpec(string executablePath)
    {
        this.ExecutablePath = executablePath;
    }

    /// <summary>The program to start (the native CLI binary, or a script run through <see cref="Interpreter"/>).</summary>
    public string ExecutablePath { get; }

    /// <summary>Program that runs <see cref="ExecutablePath"/> when it is a JavaScript entry point, else null.</summary>
    public string? Interpreter { get; init; }

    /// <summary>Arguments, passed one by one through ArgumentList (never through a shell).</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Environment changes on top of the inherited environment; a null value removes the variable.</summary>
    public Dictionary<string, string?> Environment { get; } = new(System.StringComparer.Ordinal);

    /// <summary>Working directory of the child, or null for the host's current directory.</summary>
    public string? WorkingDirectory { get; init; }
}
