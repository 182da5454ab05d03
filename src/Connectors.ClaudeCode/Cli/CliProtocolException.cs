// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>The CLI wrote something on stdout that is not the stream-json protocol.</summary>
internal sealed class CliProtocolException : CliException
{
    public CliProtocolException(string message, string? offendingLine, string? stderrTail = null, System.Exception? innerException = null)
        : base(message, stderrTail, innerException)
    {
        this.OffendingLine = offendingLine;
    }

    /// <summary>The stdout line that broke the protocol (cut to a readable length).</summary>
    public string? OffendingLine { get; }
}
