// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// One offline run of an example's built dll (<c>dotnet X.dll --offline</c>), as a user would start it: its exit code,
/// its output, and what it left behind.
/// </summary>
/// <remarks>
/// Each run gets a temp folder of its own as <c>TMPDIR</c>: the example's offline HOME and the connector's working
/// directories go there, so a CLI process whose working directory is inside it after the example exited is one this
/// run left behind (other processes' environments cannot be read in every sandbox; their working directories can).
/// </remarks>
internal sealed class ExampleRun
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private ExampleRun(int exitCode, string output, string error, IReadOnlyList<string> leftoverProcesses, IReadOnlyList<string> leftoverFolders)
    {
        this.ExitCode = exitCode;
        this.Output = output;
        this.Error = error;
        this.LeftoverProcesses = leftoverProcesses;
        this.LeftoverFolders = leftoverFolders;
    }

    public int ExitCode { get; }

    public string Output { get; }

    public string Error { get; }

    /// <summary>Live processes (id and executable) working inside the run's temp folder after the example exited.</summary>
    public IReadOnlyList<string> LeftoverProcesses { get; }

    /// <summary>The example's offline HOME and the connector's working directories that were still there after it exited.</summary>
    public IReadOnlyList<string> LeftoverFolders { get; }

    /// <summary>The output's lines, without line ends.</summary>
    public IReadOnlyList<string> Lines => this.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    public override string ToString() => $"exit code {this.ExitCode}\n--- stdout ---\n{this.Output}\n--- stderr ---\n{this.Error}";

    /// <summary>Runs examples/<paramref name="name"/> with <c>--offline</c> and waits for it to exit.</summary>
    public static Task<ExampleRun> RunOfflineAsync(string name) => RunInTempAsync(name, home: null);

    /// <summary>
    /// Runs examples/<paramref name="name"/> as a user without a Claude Code login would, in <paramref name="home"/>
    /// (an empty HOME): the example checks for a login with the CLI itself, finds none and goes offline.
    /// </summary>
    public static Task<ExampleRun> RunWithoutLoginAsync(string name, string home) => RunInTempAsync(name, home);

    private static async Task<ExampleRun> RunInTempAsync(string name, string? home)
    {
        var dll = ExampleDll(name);
        Assert.True(File.Exists(dll), $"The example is not built: {dll}");
        var temp = Directory.CreateTempSubdirectory("cc-example-run-").FullName;
        try
        {
            return await RunAsync(name, dll, temp, home);
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // A leftover process still writing there; the test reports it.
            }
        }
    }

    private static async Task<ExampleRun> RunAsync(string name, string dll, string temp, string? home)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["TMPDIR"] = temp;
        start.Environment["CLAUDE_CODE_CLI_PATH"] = PinnedCli.Path;
        if (home is null)
        {
            start.ArgumentList.Add("--offline");
        }
        else
        {
            start.Environment["HOME"] = home;
            start.Environment["USERPROFILE"] = home;
            start.Environment.Remove("CLAUDE_CONFIG_DIR");
            start.Environment.Remove("XDG_CONFIG_HOME");
        }

        // --offline already keeps the example away from any login; these keep the developer's out of its process too.
        foreach (var credential in new[] { "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_BASE_URL" })
        {
            start.Environment.Remove(credential);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"examples/{name} did not finish within {s_timeout.TotalSeconds} s.\n{await output}\n{await error}");
        }

        var leftoverFolders = Directory.EnumerateDirectories(temp)
            .Select(Path.GetFileName)
            .Where(folder => folder!.StartsWith("claude-example-", StringComparison.Ordinal) || folder.StartsWith("claude-code-", StringComparison.Ordinal))
            .ToList();
        var leftoverProcesses = ProcessesWorkingIn(temp);

        // The test fails on them; they should not outlive it and disturb the tests after it.
        foreach (var (pid, _) in leftoverProcesses)
        {
            try
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        return new ExampleRun(
            process.ExitCode,
            await output,
            await error,
            leftoverProcesses.Select(p => $"{p.Pid} ({p.Executable})").ToList(),
            leftoverFolders!);
    }

    /// <summary>The built dll of examples/<paramref name="name"/>, beside this test build.</summary>
    internal static string ExampleDll(string name)
    {
        // The tests run from tests/<project>/bin/<configuration>/<framework>/; the examples build to the same shape.
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        return Path.Combine(root.FullName, "examples", name, "bin", configuration.Name, framework.Name, name + ".dll");
    }

    /// <summary>Live processes whose working directory is <paramref name="folder"/> or below it.</summary>
    internal static List<(int Pid, string? Executable)> ProcessesWorkingIn(string folder)
    {
        var found = new List<(int, string?)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // A process that has exited but is not yet reaped is gone for our purpose.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    continue;
                }

                // A deleted working directory still reads as its old path, with " (deleted)" after it.
                var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget;
                if (workingDirectory is not null && workingDirectory.StartsWith(folder + "/", StringComparison.Ordinal))
                {
                    found.Add((pid, new FileInfo(Path.Combine(directory, "exe")).LinkTarget));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to look at, so not one the example started.
            }
        }

        return found;
    }
}
