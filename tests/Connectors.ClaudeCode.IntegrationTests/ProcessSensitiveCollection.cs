// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// Tests that count or kill this process's CLI children run alone: in parallel with other tests the count
/// would include their live processes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessSensitiveCollection
{
    public const string Name = "Process-sensitive";
}
