// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;

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

    /// <summary>
    /// False when the spec names something that lives only for one call (a temporary system-prompt file): such a
    /// process must not be kept for a later call.
    /// </summary>
    public bool Reusable { get; init; } = true;

    /// <summary>A copy with one more environment variable (for a value that must not enter <see cref="Signature"/>'s owner, such as a token).</summary>
    public CliLaunchSpec WithEnvironment(string name, string? value)
    {
        var copy = new CliLaunchSpec(this.ExecutablePath)
        {
            Interpreter = this.Interpreter,
            WorkingDirectory = this.WorkingDirectory,
            Reusable = this.Reusable,
        };
        copy.Arguments.AddRange(this.Arguments);
        foreach (var (key, existing) in this.Environment)
        {
            copy.Environment[key] = existing;
        }

        copy.Environment[name] = value;
        return copy;
    }

    /// <summary>Everything fixed at spawn, as one string: two specs with the same signature start identical processes.</summary>
    public string Signature()
    {
        var builder = new System.Text.StringBuilder();
        builder.Append(this.Interpreter).Append('\0').Append(this.ExecutablePath).Append('\0').Append(this.WorkingDirectory).Append('\0');
        foreach (var argument in this.Arguments)
        {
            builder.Append(argument).Append('\0');
        }

        foreach (var (name, value) in this.Environment.OrderBy(pair => pair.Key, System.StringComparer.Ordinal))
        {
            builder.Append(name).Append('=').Append(value ?? "\u0001unset").Append('\0');
        }

        return builder.ToString();
    }
}
