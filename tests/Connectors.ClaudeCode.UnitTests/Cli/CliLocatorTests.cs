// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Linq;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Cli;

public sealed class CliLocatorTests
{
    [Fact]
    public void AnExplicitPathWinsAndJavaScriptRunsThroughNode()
    {
        var script = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".mjs");
        File.WriteAllText(script, "// cli");
        try
        {
            var (path, interpreter) = CliLocator.Locate(script, _ => null);

            Assert.Equal(script, path);
            Assert.Equal("node", interpreter);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void TheEnvironmentVariableIsUsedWhenNoPathIsConfigured()
    {
        var binary = Environment.ProcessPath!;

        var (path, interpreter) = CliLocator.Locate(null, name => name == CliLocator.PathVariable ? binary : null);

        Assert.Equal(binary, path);
        Assert.Null(interpreter);
    }

    [Fact]
    public void AMissingExplicitPathIsNamedInTheError()
    {
        var error = Assert.Throws<CliNotFoundException>(() => CliLocator.Locate("/no/such/claude", _ => null));

        Assert.Contains("/no/such/claude", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClaudeCodeOptions.CliPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExecutableOnPathIsFound()
    {
        var directory = Directory.CreateTempSubdirectory().FullName;
        var claude = Path.Combine(directory, OperatingSystem.IsWindows() ? "claude.exe" : "claude");
        File.WriteAllText(claude, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        try
        {
            // The repository-local install is found first when present, so only assert when it is not.
            var (path, _) = CliLocator.Locate(null, name => name == "PATH" ? directory : null);
            Assert.True(path == claude || path.Contains(CliLocator.LocalInstallFolder, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("C:/npm/claude.cmd", true, true)]
    [InlineData("C:/npm/CLAUDE.BAT", true, true)]
    [InlineData("C:/npm/claude.exe", true, false)]
    [InlineData("/usr/bin/claude.cmd", false, false)]
    public void OnWindowsABatchShimIsNeverStarted(string path, bool windows, bool refused)
        => Assert.Equal(refused, CliLocator.IsBatchShim(path, windows));

    [Fact]
    public void OnWindowsPathLeadsToTheBinaryBesideNpmsShimNotToTheShim()
    {
        var candidates = CliLocator.PathCandidates("\"/npm global\";/other", windows: true, separator: ';').ToList();

        Assert.Equal(
            ["/npm global/claude.exe", "/npm global/node_modules/@anthropic-ai/claude-code/bin/claude.exe", "/other/claude.exe", "/other/node_modules/@anthropic-ai/claude-code/bin/claude.exe"],
            candidates.Select(c => c.Replace('\\', '/')).ToArray());
        Assert.DoesNotContain(candidates, c => c.EndsWith(".cmd", System.StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["/usr/bin/claude"], CliLocator.PathCandidates("/usr/bin", windows: false, separator: ':').ToArray());
    }
}
