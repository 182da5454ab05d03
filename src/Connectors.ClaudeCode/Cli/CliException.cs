// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>A failure of the CLI transport; Core turns it into a public, typed exception.</summary>
internal class CliException : Exception
{
    public CliException(string message, string? stderrTail = null, Exception? innerException = null)
        : base(message, innerException)
    {
        this.StderrTail = stderrTail;
    }

    /// <summary>The last lines the CLI wrote to stderr, if any.</summary>
    public string? StderrTail { get; }
}
