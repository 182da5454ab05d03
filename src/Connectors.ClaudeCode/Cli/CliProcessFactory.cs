// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>Starts a fresh CLI process per connection.</summary>
internal sealed class CliProcessFactory : ICliConnectionFactory
{
    private readonly ILogger _logger;

    public CliProcessFactory(ILogger logger)
    {
        this._logger = logger;
    }

    public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ICliConnection>(CliProcess.Start(spec, this._logger));
    }
}
