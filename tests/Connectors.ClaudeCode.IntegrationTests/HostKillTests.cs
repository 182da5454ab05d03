// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Connectors.ClaudeCode.FakeAnthropic;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// A host killed outright (SIGKILL) runs no clean-up of its own. On Linux its CLIs get SIGTERM from the kernel
/// (a parent-death signal), so one in the middle of a request ends at once instead of when the request ends.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostKillTests
{
    [Fact]
    public async Task ACliInTheMiddleOfARequestEndsWhenItsHostIsKilledAsync()
    {
        Assert.True(ParentDeathSignal.IsAvailable, "This machine's setpriv lacks --pdeathsig (util-linux 2.33 or later is needed).");
        var temp = Directory.CreateTempSubdirectory("cc-host-kill-").FullName;

        // The fake API in a process of its own, so that it outlives the host; its answers stall after the first event.
        using var api = StartDotnet(HostDll(), temp, baseUrl: null, "--delay-ms", "60000", "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Process? host = null;
        var clis = Array.Empty<int>();
        try
        {
            var baseUrl = (await ReadLineStartingWithAsync(api, "export ANTHROPIC_BASE_URL="))["export ANTHROPIC_BASE_URL=".Length..];

            // The example's login check is a real call; against this fake it is left in the middle of its request.
            host = StartDotnet(ExampleRun.ExampleDll("QuickStart"), temp, baseUrl);
            await ReadLineStartingWithAsync(api, "request 1:");
            clis = [.. ExampleRun.ProcessesWorkingIn(temp).Where(p => p.Executable?.Contains("claude", StringComparison.Ordinal) == true).Select(p => p.Pid)];
            Assert.NotEmpty(clis);

            host.Kill();
            await host.WaitForExitAsync();

            await ChildProcesses.WaitUntilAsync(() => !clis.Any(ChildProcesses.IsAlive));
            Assert.DoesNotContain(clis, ChildProcesses.IsAlive);
        }
        finally
        {
            foreach (var pid in clis.Where(ChildProcesses.IsAlive))
            {
                using var left = Process.GetProcessById(pid);
                left.Kill(entireProcessTree: true);
            }

            host?.Dispose();
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            Directory.Delete(temp, recursive: true);
        }
    }

    private static Process StartDotnet(string dll, string temp, string? baseUrl, params string[] arguments)
    {
        Assert.True(File.Exists(dll), $"Not built: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TMPDIR"] = temp;
        start.Environment["HOME"] = temp;
        start.Environment["CLAUDE_CODE_CLI_PATH"] = PinnedCli.Path;
        start.Environment.Remove("ANTHROPIC_AUTH_TOKEN");
        start.Environment.Remove("CLAUDE_CODE_OAUTH_TOKEN");
        start.Environment.Remove("CLAUDE_CONFIG_DIR");
        start.Environment.Remove("ANTHROPIC_API_KEY");
        start.Environment.Remove("ANTHROPIC_BASE_URL");
        if (baseUrl is not null)
        {
            start.Environment["ANTHROPIC_BASE_URL"] = baseUrl;
            start.Environment["ANTHROPIC_API_KEY"] = "sk-ant-offline";
        }

        return Process.Start(start)!;
    }

    private static string HostDll()
    {
        // tests/<project>/bin/<configuration>/<framework>/ here; the host builds to the same shape.
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent!;
        var tests = configuration.Parent!.Parent!.Parent!;
        const string Name = "Connectors.ClaudeCode.FakeAnthropic.Host";
        return Path.Combine(tests.FullName, Name, "bin", configuration.Name, framework.Name, Name + ".dll");
    }

    private static async Task<string> ReadLineStartingWithAsync(Process process, string prefix)
    {
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The process ended before printing '{prefix}'.");
    }

}
