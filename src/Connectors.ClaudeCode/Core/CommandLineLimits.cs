// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Text;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// What a value must be to travel on the CLI's command line or in its environment: no NUL character (the OS ends
/// the string there, silently cutting it) and at most <see cref="MaxBytes"/> (Linux refuses any single argument or
/// variable over 128 KiB, with an error that looks like a missing program). A value that cannot travel is refused
/// before any process starts, naming the setting it came from.
/// </summary>
internal static class CommandLineLimits
{
    /// <summary>The longest value, in UTF-8 bytes, the connector puts in one argument or variable.</summary>
    public const int MaxBytes = 100_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="setting"/> when <paramref name="value"/> cannot travel.</summary>
    /// <param name="value">The value; null passes.</param>
    /// <param name="setting">The setting it came from, as the user knows it.</param>
    /// <param name="lengthMatters">False for a value that goes by file when long (the system prompt).</param>
    public static void Check(string? value, string setting, bool lengthMatters = true)
    {
        if (value is null)
        {
            return;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{setting} contains a NUL character, which cannot be passed to the Claude Code CLI (the text would be cut there); remove it.");
        }

        if (lengthMatters && Encoding.UTF8.GetByteCount(value) is var bytes && bytes > MaxBytes)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"{setting} is {bytes} bytes; the Claude Code CLI takes it on its command line or in its environment, where values over {MaxBytes} bytes cannot be passed. Shorten it."));
        }
    }
}
