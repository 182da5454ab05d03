// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// A call named a conversation (<c>ChatOptions.ConversationId</c>) that the service no longer holds: its process ended
/// (idle timeout, eviction to make room, an error, or the service was disposed), or it was started with settings the
/// call changes. Nothing was sent; send the whole history without a conversation id to go on.
/// </summary>
public sealed class ClaudeCodeConversationNotFoundException : ClaudeCodeException
{
    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeConversationNotFoundException"/> class.</summary>
    public ClaudeCodeConversationNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeConversationNotFoundException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ClaudeCodeConversationNotFoundException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClaudeCodeConversationNotFoundException"/> class with a message and the cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClaudeCodeConversationNotFoundException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The conversation id the call named.</summary>
    public string? ConversationId { get; init; }
}
