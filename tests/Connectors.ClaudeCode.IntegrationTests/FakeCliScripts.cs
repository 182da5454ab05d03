// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.IO;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>Small shell programs that stand in for a broken or wrong CLI in error tests (POSIX only, like the CI).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class FakeCliScripts
{
    public static string Write(string directory, string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n", System.StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
