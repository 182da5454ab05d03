// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// Limits what a host killed outright (SIGKILL, an OOM kill) leaves running, on Linux: each CLI is started through
/// util-linux's <c>setpriv --pdeathsig TERM</c>, so the kernel sends it SIGTERM when its parent goes, instead of the
/// CLI finishing the request in flight first (observed ~99 s). The kernel's "parent" is the thread that started the
/// process, so every CLI is started from one thread that lives as long as the host. Where <c>setpriv</c> is missing
/// or lacks the option, and on other systems, processes start as before.
/// </summary>
internal static class ParentDeathSignal
{
    private static readonly string[] s_setprivCandidates = ["/usr/bin/setpriv", "/bin/setpriv"];
    private static readonly Lazy<string?> s_setpriv = new(FindWorkingSetpriv, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly BlockingCollection<Action> s_starts = [];
    private static readonly Lazy<Thread> s_starter = new(StartStarterThread, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether CLIs get a parent-death signal on this machine.</summary>
    public static bool IsAvailable => s_setpriv.Value is not null;

    /// <summary>
    /// Starts <paramref name="process"/>, through <c>setpriv</c> and from the long-lived starter thread when the
    /// signal is available and the program is an existing executable (so that errors about the program itself stay
    /// what <see cref="Process.Start()"/> reports); else as it is, on this thread.
    /// </summary>
    public static bool Start(Process process)
    {
        var startInfo = process.StartInfo;
        if (s_setpriv.Value is not { } setpriv || !IsExecutableFile(startInfo.FileName))
        {
            return process.Start();
        }

        startInfo.ArgumentList.Insert(0, startInfo.FileName);
        startInfo.ArgumentList.Insert(0, "--");
        startInfo.ArgumentList.Insert(0, "TERM");
        startInfo.ArgumentList.Insert(0, "--pdeathsig");
        startInfo.FileName = setpriv;

        var started = false;
        Exception? failure = null;
        using var done = new ManualResetEventSlim();
        _ = s_starter.Value;
        s_starts.Add(() =>
        {
            try
            {
                started = process.Start();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex;
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return started;
    }

    private static bool IsExecutableFile(string path)
    {
        if (OperatingSystem.IsWindows() || !Path.IsPathFullyQualified(path) || !File.Exists(path))
        {
            return false;
        }

        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static Thread StartStarterThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in s_starts.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "Claude Code CLI starter",
        };
        thread.Start();
        return thread;
    }

    /// <summary>A <c>setpriv</c> that takes <c>--pdeathsig</c> (util-linux 2.33 and later), tried once.</summary>
    private static string? FindWorkingSetpriv()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var candidate in s_setprivCandidates)
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate)
                {
                    ArgumentList = { "--pdeathsig", "TERM", "--", "/bin/sh", "-c", "exit 0" },
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                if (probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(5)) && probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                // Not usable: processes start without the signal.
            }
        }

        return null;
    }
}
