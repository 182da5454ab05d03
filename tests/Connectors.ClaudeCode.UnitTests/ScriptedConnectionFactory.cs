// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

namespace Connectors.ClaudeCode.UnitTests;

/// <summary>Hands out one scripted connection and keeps the launch specs it was asked for.</summary>
internal sealed class ScriptedConnectionFactory : ICliConnectionFactory
{
    public ScriptedConnectionFactory(ScriptedCliConnection connection)
    {
        this.Connection = connection;
    }

    public ScriptedCliConnection Connection { get; }

    public List<CliLaunchSpec> Specs { get; } = [];

    public Task<ICliConnection> StartAsync(CliLaunchSpec spec, CancellationToken cancellationToken)
    {
        this.Specs.Add(spec);
        return Task.FromResult<ICliConnection>(this.Connection);
    }
}
