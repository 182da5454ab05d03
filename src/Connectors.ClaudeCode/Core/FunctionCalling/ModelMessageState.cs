// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>One model response as it streams in: its blocks, and whether it is complete (all its tool calls known).</summary>
internal sealed class ModelMessageState
{
    private readonly TurnTranscript _transcript;

    public ModelMessageState(string? id, int requestIndex, TurnTranscript transcript)
    {
        this.Id = id;
        this.RequestIndex = requestIndex;
        this._transcript = transcript;
    }

    public string? Id { get; }

    /// <summary>Which model request of the turn produced this message (0 for the first).</summary>
    public int RequestIndex { get; }

    /// <summary>The message's blocks so far, from the turn's transcript.</summary>
    public IReadOnlyList<CliContentBlock> Blocks => this._transcript.BlocksOf(this.Id);

    /// <summary>The model that wrote the message, as the API reported it.</summary>
    public string? Model { get; set; }

    /// <summary>Completes when the API reported the end of the message (<c>message_delta</c> or <c>message_stop</c>).</summary>
    public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The message as SK content, built once when a handler first needs it.</summary>
    public ChatMessageContent? Content { get; set; }

    /// <summary>Whether <see cref="Content"/> was added to the caller's history.</summary>
    public bool AddedToHistory { get; set; }

    /// <summary>Invocations by tool-use id, started when the calls may run.</summary>
    public Dictionary<string, Task<FunctionCallOutcome>> Invocations { get; } = new(System.StringComparer.Ordinal);

    /// <summary>How many of this message's calls were answered.</summary>
    public int Answered { get; set; }

    /// <summary>
    /// The <c>tool_use</c> blocks of kernel functions, in order. Calls of tools the CLI runs itself (built-in tools, the request's MCP servers) are left out: the
    /// CLI runs those itself (see <c>HostedToolGate</c>), so they are neither the caller's to run nor to count.
    /// </summary>
    public IReadOnlyList<CliToolUseBlock> ToolUses => this.Blocks.OfType<CliToolUseBlock>().Where(b => b.Name.StartsWith(ToolNaming.McpPrefix, System.StringComparison.Ordinal)).ToList();

    public bool Contains(string toolUseId) => this.Blocks.OfType<CliToolUseBlock>().Any(b => b.Id == toolUseId);
}
