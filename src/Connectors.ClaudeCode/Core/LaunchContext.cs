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
    public LaunchContext(string? appWorkingDirectory, ScratchDirectory? scratch, bool bare)
    {
        this._appWorkingDirectory = appWorkingDirectory;
        this._scratch = scratch;
        this.Bare = bare;
    }

    /// <summary>The app's directory from the options, else the service's scratch directory (null only without either).</summary>
    public string? WorkingDirectory => this._appWorkingDirectory ?? this._scratch?.Path;

    /// <summary>Whether the CLI runs with <c>--bare</c>.</summary>
    public bool Bare { get; }
}
