// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>The CLI process ended before the exchange it was in finished.</summary>
internal sealed class CliProcessExitedException : CliException
{
    public CliProcessExitedException(string message, int? exitCode, string? stderrTail)
        : base(message, stderrTail)
    {
        this.ExitCode = exitCode;
    }

    /// <summary>The process exit code, when it is known.</summary>
    public int? ExitCode { get; }
}
