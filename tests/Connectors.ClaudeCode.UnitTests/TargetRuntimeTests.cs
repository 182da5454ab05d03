// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Reflection;
using System.Runtime.Versioning;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests;

public sealed class TargetRuntimeTests
{
    [Fact]
    public void TheTestsRunOnTheRuntimeOfTheirTargetFramework()
    {
        // The net8.0 build carries its own .NET 8 runtime (self-contained), since build machines may have only .NET 10.
        // Rolled forward onto .NET 10 it would test the library's net8.0 build on the wrong runtime without saying so.
        var target = new FrameworkName(typeof(TargetRuntimeTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);

        Assert.Equal(target.Version.Major, Environment.Version.Major);
    }
}
