// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// What the connector does with an execution setting Claude cannot honour (several results per prompt, log
/// probabilities, penalties, seed, logit bias, or a combination the model rejects). Never silent.
/// </summary>
public enum ClaudeCodeUnsupportedParameterPolicy
{
    /// <summary>Log a warning naming the setting and send the request without it.</summary>
    WarnAndIgnore,

    /// <summary>Throw <see cref="System.NotSupportedException"/> naming the setting, before any process starts.</summary>
    Throw,
}
