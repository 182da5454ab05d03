// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>What a service decides once for all its CLI processes: where they run and whether bare.</summary>
internal sealed class LaunchContext
{
    private readonly string? _appWorkingDirectory;
    private readonly ScratchDirectory? _scratch;

    /// <param name="appWorkingDirectory">The directory the app named, or null for <paramref name="scratch"/>.</param>
    /// <param name="scratch">The service's own empty directory, created at first use.</param>
    /// <param name="bare">Whether the CLI runs with <c>--bare</c> (see <see cref="BareModePolicy"/>).</param>
    /// <param name="bareIsAutomatic">True when <paramref name="bare"/> is <see cref="ClaudeCodeBareMode.Auto"/>'s choice, which a request that needs normal mode may overrule.</param>
    public LaunchContext(string? appWorkingDirectory, ScratchDirectory? scratch, bool bare, bool bareIsAutomatic = false)
    {
        this._appWorkingDirectory = appWorkingDirectory;
        this._scratch = scratch;
        this.Bare = bare;
        this.BareIsAutomatic = bare && bareIsAutomatic;
    }

    /// <summary>The app's directory from the options, else the service's scratch directory (null only without either).</summary>
    public string? WorkingDirectory => this._appWorkingDirectory ?? this._scratch?.Path;

    /// <summary>Whether the CLI runs with <c>--bare</c> (unless a request needs normal mode: <see cref="BareFor"/>).</summary>
    public bool Bare { get; }

    /// <summary>True when bare mode was <see cref="ClaudeCodeBareMode.Auto"/>'s choice rather than the app's.</summary>
    public bool BareIsAutomatic { get; }

    /// <summary>
    /// Whether the process of <paramref name="request"/> runs bare: a request with web search needs Claude Code's
    /// normal mode (bare mode removes the WebSearch tool), which Auto gives it; the credentials that made Auto choose
    /// bare work in normal mode too. Such a process is started for the request, so others keep bare mode.
    /// </summary>
    public bool BareFor(ChatTurnRequest request) => this.Bare && !(request.WebSearch && this.BareIsAutomatic);
}
