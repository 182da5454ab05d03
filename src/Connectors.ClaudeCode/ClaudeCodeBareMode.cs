// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Whether the CLI runs in bare mode (<c>--bare</c>). Bare mode leaves out Claude Code's environment, model and date
/// reminders, so a request holds only the caller's messages, and it starts faster; but it authenticates only with an
/// API key (<c>ANTHROPIC_API_KEY</c>), an <c>apiKeyHelper</c> or a cloud provider, never with a subscription login.
/// </summary>
public enum ClaudeCodeBareMode
{
    /// <summary>Bare whenever the login the CLI will use allows it (decided from the environment the CLI gets); otherwise Claude Code's normal mode.</summary>
    Auto,

    /// <summary>Always bare; with a subscription login every call fails with <see cref="ClaudeCodeNotLoggedInException"/>.</summary>
    Always,

    /// <summary>Never bare: Claude Code's normal mode, with its reminders, for every login.</summary>
    Never,
}
