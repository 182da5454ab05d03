// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>
/// Function calls returned to the caller (manual mode) while the CLI's turn waits for them: the CLI asks permission
/// for the first call and waits for the answer as long as it takes (verified on CLI 2.1.328: no timeout, no output
/// meanwhile), so the process keeps the conversation exactly as the model left it. When the caller sends the results,
/// the permission is granted and the calls are answered with them, and the turn goes on in the same process.
/// </summary>
internal sealed class HeldToolCalls
{
    private readonly TaskCompletionSource<JsonNode?> _firstPermission = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldToolCalls(IReadOnlyList<CliToolUseBlock> calls)
    {
        this.Calls = calls;
    }

    /// <summary>The model's calls, in order; the CLI asks about the first one first.</summary>
    public IReadOnlyList<CliToolUseBlock> Calls { get; }

    /// <summary>The answer to the CLI's pending permission request, once the caller's results arrive.</summary>
    public Task<JsonNode?> FirstPermission => this._firstPermission.Task;

    /// <summary>Whether <paramref name="results"/> (by call id) answer every held call and nothing else.</summary>
    public bool AreAnsweredBy(IReadOnlyDictionary<string, string> results)
        => results.Count == this.Calls.Count && this.Calls.All(c => results.ContainsKey(c.Id));

    /// <summary>Grants the pending permission: the CLI then calls the functions, which answer with the caller's results.</summary>
    public void Release() => this._firstPermission.TrySetResult(FunctionCallingTurn.Allow(this.Calls[0].Input));
}
