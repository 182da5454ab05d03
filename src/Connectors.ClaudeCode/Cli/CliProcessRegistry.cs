// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// Every CLI process the connector has running in this host, so that none outlives it: when the host exits
/// (<see cref="AppDomain.ProcessExit"/>, which SIGTERM raises) or is interrupted (SIGINT, Ctrl-C), each is killed with
/// the processes it started. A host killed outright (SIGKILL) cannot run this; its CLIs then see their input close and
/// exit once their current request ends.
/// </summary>
internal static class CliProcessRegistry
{
    private static readonly ConcurrentDictionary<int, Process> s_running = new();
    private static readonly object s_hookGate = new();
    private static bool s_hooked;
    // Held for the life of the host: a collected registration stops observing the signal.
    private static PosixSignalRegistration? s_interrupt;

    /// <summary>Processes registered now.</summary>
    public static int Count => s_running.Count;

    public static void Add(Process process)
    {
        EnsureHooked();
        s_running[process.Id] = process;
    }

    public static void Remove(Process process) => s_running.TryRemove(process.Id, out _);

    /// <summary>
    /// Ends every registered process and its descendants (the host is going away): all are asked to terminate at
    /// once, given <see cref="PosixTermination.Grace"/> together, then whatever is left is killed.
    /// </summary>
    public static void KillAll()
    {
        var terminated = s_running.Values.Where(p => PosixTermination.TryTerminate(p.Id)).ToList();
        var deadline = Stopwatch.StartNew();
        foreach (var process in terminated)
        {
            var left = PosixTermination.Grace - deadline.Elapsed;
            try
            {
                process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or SystemException)
            {
                // Gone already.
            }
        }

        foreach (var (id, process) in s_running)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
            {
                // Already gone, or not ours to kill any more.
            }

            s_running.TryRemove(id, out _);
        }
    }

    private static void EnsureHooked()
    {
        lock (s_hookGate)
        {
            if (s_hooked)
            {
                return;
            }

            s_hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            try
            {
                // The default handling of Ctrl-C goes on (the context is not cancelled); the CLIs just go first.
                s_interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll());
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or UnauthorizedAccessException)
            {
                // Where the signal cannot be observed, ProcessExit still covers an orderly exit.
            }
        }
    }
}
