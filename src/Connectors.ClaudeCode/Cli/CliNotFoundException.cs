// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>The CLI executable could not be found or started.</summary>
internal sealed class CliNotFoundException : CliException
{
    public CliNotFoundException(string message, string? attemptedPath, System.Exception? innerException = null)
        : base(message, null, innerException)
    {
        this.AttemptedPath = attemptedPath;
    }

    /// <summary>The path that was tried last, when one was.</summary>
    public string? AttemptedPath { get; }
}
