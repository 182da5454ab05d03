// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>Starts CLI connections. A seam for the scripted transport of unit tests and for process reuse.</summary>
internal interface ICliConnectionFactory
{
    /// <summary>Starts a process for <paramref name="spec"/>; throws <see cref="CliNotFoundException"/> when it cannot be started.</summary>
    Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken);
}
