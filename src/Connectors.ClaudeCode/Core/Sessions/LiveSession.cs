// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

/// <summary>A CLI process that finished a turn cleanly and holds that conversation, waiting for its continuation.</summary>
internal sealed class LiveSession
{
    public LiveSession(string id, ICliConnection connection, string shape, ConversationTranscript transcript)
    {
        this.Id = id;
        this.Connection = connection;
        this.Shape = shape;
        this.Transcript = transcript;
        this.Fingerprint = transcript.FingerprintOf(transcript.Messages.Count);
    }

    /// <summary>The conversation id callers can name to continue it with only their new messages.</summary>
    public string Id { get; }

    /// <summary>The process, initialized, between turns.</summary>
    public ICliConnection Connection { get; }

    /// <summary>Everything fixed when the process started (argv, environment, tools): a continuation must ask for the same.</summary>
    public string Shape { get; }

    /// <summary>The conversation the process holds, ending with the model's last answer.</summary>
    public ConversationTranscript Transcript { get; }

    /// <summary>A hash of <see cref="Transcript"/>, to find candidates before comparing content.</summary>
    public string Fingerprint { get; }

    /// <summary>Function calls returned to the caller that the process waits on; null for a conversation at rest.</summary>
    public HeldToolCalls? Held { get; init; }

    /// <summary>How many calls the conversation has had (1 after its first; a conversation that came with earlier answers counts those as one).</summary>
    public int CallsAnswered { get; init; } = 1;

    /// <summary>When the session was last parked; the least recently used ends first.</summary>
    public DateTime IdleSinceUtc { get; set; } = DateTime.UtcNow;
}
