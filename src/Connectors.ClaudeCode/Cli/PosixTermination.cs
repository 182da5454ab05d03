// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Runtime.InteropServices;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// SIGTERM for a CLI process, which .NET's <c>Process.Kill</c> cannot send. Asked to terminate, the CLI removes its
/// entry in <c>~/.claude/sessions</c> and ends the MCP servers it started before it exits (~65 ms when idle, verified
/// on CLI 2.1.328); a SIGKILL leaves the entry behind in the user's Claude Code folder.
/// </summary>
internal static class PosixTermination
{
    private const int SigTerm = 15;

    /// <summary>
    /// How long a terminated CLI gets to exit before it and everything it started are killed. It usually needs ~65 ms,
    /// and the wait ends when it exits; 250 ms proved too short on a loaded 2-core machine (a full test run in
    /// parallel), where the kill then left the session entry behind.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    /// <summary>Sends SIGTERM; false where there are no POSIX signals (Windows) or the process is gone.</summary>
    public static bool TryTerminate(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return NativeMethods.Kill(processId, SigTerm) == 0;
    }

    // DllImport rather than LibraryImport: the generated form needs unsafe code for a call that passes two ints.
    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int signal);
    }
}
