// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>Finds the CLI processes this process started, through /proc (Linux): tests and the benchmark check that none is left.</summary>
public static class ChildProcesses
{
    /// <summary>Ids of live descendants of this process whose executable is a Claude Code CLI.</summary>
    public static IReadOnlyList<int> LiveClaudeDescendants() => LiveClaude(directChildrenOnly: false);

    /// <summary>
    /// Ids of live CLI processes this process started itself: the ones the connector counts against its limit (a CLI
    /// may start helpers of its own from its install folder, which the descendants would include).
    /// </summary>
    public static IReadOnlyList<int> LiveClaudeChildren() => LiveClaude(directChildrenOnly: true);

    /// <summary>Alive: the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits, at most ten seconds, for a condition about processes that end in the background (a signal, a kill): no
    /// event tells when another process is gone, so it is polled; the caller asserts the condition afterwards.
    /// </summary>
    public static async System.Threading.Tasks.Task WaitUntilAsync(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await System.Threading.Tasks.Task.Delay(10).ConfigureAwait(false);
        }
    }

    private static List<int> LiveClaude(bool directChildrenOnly)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // Field 4 of /proc/<pid>/stat is the parent id; the name in field 2 may contain spaces, so read after ')'.
                var stat = File.ReadAllText(System.IO.Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z")
                {
                    continue;
                }

                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var self = Environment.ProcessId;
        var result = new List<int>();
        foreach (var pid in parents.Keys)
        {
            var related = directChildrenOnly ? parents[pid] == self : IsDescendant(pid, self, parents);
            if (!related || !IsClaude(pid))
            {
                continue;
            }

            result.Add(pid);
        }

        return result;
    }

    private static bool IsDescendant(int pid, int ancestor, Dictionary<int, int> parents)
    {
        var current = pid;
        for (var depth = 0; depth < 64 && parents.TryGetValue(current, out var parent); depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }

            current = parent;
        }

        return false;
    }

    private static bool IsClaude(int pid)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? string.Empty;
            if (exe.Contains("claude", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            // On Linux the connector starts each CLI through setpriv (for a parent-death signal), which becomes the
            // CLI a moment later: counted from the start.
            return exe.EndsWith("/setpriv", StringComparison.Ordinal)
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("claude", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
