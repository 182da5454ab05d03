// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// How a launch spec becomes a child process: the program (or its interpreter), each argument passed on its own
/// (never through a shell, so no value is parsed as another flag or command), the environment changes and the
/// working directory, with every stream redirected as UTF-8.
/// </summary>
internal static class CliStartInfo
{
    public static ProcessStartInfo Create(CliLaunchSpec spec, Encoding encoding)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = spec.Interpreter ?? spec.ExecutablePath,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardInputEncoding = encoding,
            StandardOutputEncoding = encoding,
            StandardErrorEncoding = encoding,
        };

        if (spec.Interpreter is not null)
        {
            startInfo.ArgumentList.Add(spec.ExecutablePath);
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = spec.WorkingDirectory;
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }
}
