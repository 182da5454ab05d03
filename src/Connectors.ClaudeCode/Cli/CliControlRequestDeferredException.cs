// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// Thrown by a control request handler that leaves a request to the next handler set on the process: the request
/// then waits, unanswered, until one is (a ready process's tool list waits for the call that takes the process).
/// </summary>
internal sealed class CliControlRequestDeferredException : Exception
{
    public CliControlRequestDeferredException()
    {
    }

    public CliControlRequestDeferredException(string message)
        : base(message)
    {
    }

    public CliControlRequestDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
