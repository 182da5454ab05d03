// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Moq;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Settings;

/// <summary>
/// <see cref="ClaudeCodeOptions.Clone"/> lists every property by hand (each service and the DI registration work on a
/// copy): an option added without its line would silently fall back to its default in every service.
/// </summary>
public sealed class ClaudeCodeOptionsTests
{
    private static readonly PropertyInfo[] s_settable = typeof(ClaudeCodeOptions)
        .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(p => p.SetMethod is not null)
        .ToArray();

    [Fact]
    public void ACloneCarriesEverySettablePropertyChangedFromItsDefault()
    {
        var original = new ClaudeCodeOptions();
        foreach (var property in s_settable)
        {
            var changed = OtherValue(property, property.GetValue(original));
            property.SetValue(original, changed);
            Assert.Equal(changed, property.GetValue(original));
        }

        var copy = original.Clone();

        Assert.All(s_settable, property => Assert.True(
            Equals(property.GetValue(original), property.GetValue(copy)),
            $"ClaudeCodeOptions.Clone does not copy {property.Name}."));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ASingleCallSessionIdleTimeoutThatIsNotPositiveIsRefusedByName(int milliseconds)
    {
        var options = new ClaudeCodeOptions { SingleCallSessionIdleTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ClaudeCodeChatCompletionService("m", options));
        Assert.Contains(nameof(ClaudeCodeOptions.SingleCallSessionIdleTimeout), error.Message, StringComparison.Ordinal);

        // Infinite is a timeout too: none.
        options.SingleCallSessionIdleTimeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var service = new ClaudeCodeChatClient("m", options);
    }

    [Fact]
    public void ACloneHasItsOwnCollectionsWithTheSameItems()
    {
        var original = new ClaudeCodeOptions();
        original.EnvironmentVariables["A"] = "1";
        original.AdditionalCliArguments.Add("--flag");
        original.BuiltInTools.Add("WebFetch");

        var copy = original.Clone();
        original.EnvironmentVariables["B"] = "2";
        original.AdditionalCliArguments.Add("--other");
        original.BuiltInTools.Add("WebSearch");

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1" }, copy.EnvironmentVariables);
        Assert.Equal(["--flag"], copy.AdditionalCliArguments);
        Assert.Equal(["WebFetch"], copy.BuiltInTools);
    }

    /// <summary>A value of the property's type that differs from <paramref name="current"/>.</summary>
    private static object OtherValue(PropertyInfo property, object? current)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => "changed-" + property.Name,
            _ when type == typeof(bool) => !(bool)current!,
            _ when type == typeof(int) => ((int?)current ?? 0) + 3,
            _ when type == typeof(TimeSpan) => ((TimeSpan?)current ?? TimeSpan.Zero) + TimeSpan.FromSeconds(7),
            _ when type == typeof(Uri) => new Uri("https://changed.example.invalid/"),
            _ when type == typeof(TimeProvider) => new FakeTimeProvider(),
            _ when type == typeof(TokenCredential) => new Mock<TokenCredential>().Object,
            { IsEnum: true } => Enum.GetValues(type).Cast<object>().First(v => !v.Equals(current)),
            _ when typeof(Delegate).IsAssignableFrom(type) => DelegateOf(type),
            _ => throw new InvalidOperationException($"No test value for {property.Name} ({type}): add one here."),
        };
    }

    private static Delegate DelegateOf(Type type)
    {
        var invoke = type.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        return Expression.Lambda(type, Expression.Default(invoke.ReturnType), parameters).Compile();
    }
}
