// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text;

namespace Connectors.ClaudeCode.UnitTests.Documentation;

/// <summary>Finds the C# code blocks of a Markdown file.</summary>
internal static class MarkdownCodeBlocks
{
    /// <summary>
    /// The info strings that GitHub and NuGet render as C#: all of them count, so that a block cannot escape the
    /// README test by being labelled <c>cs</c> instead of <c>csharp</c>.
    /// </summary>
    private static readonly HashSet<string> CSharpLanguages = new(StringComparer.OrdinalIgnoreCase) { "csharp", "cs", "c#" };

    /// <summary>Returns every fenced block (<c>```</c>) whose info string names C#, in file order.</summary>
    /// <exception cref="FormatException">A C# block is never closed.</exception>
    public static IReadOnlyList<MarkdownCodeBlock> ExtractCSharp(string markdown)
    {
        var blocks = new List<MarkdownCodeBlock>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            // Skip to the closing fence whatever the language, so that a ``` line inside another block
            // (a shell block, say) is never taken for the start of a C# one.
            var start = i;
            var code = new StringBuilder();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                code.Append(lines[i]).Append('\n');
            }

            if (CSharpLanguages.Contains(fence[3..].Trim()))
            {
                if (i == lines.Length)
                {
                    throw new FormatException($"The C# block at line {start + 1} is never closed.");
                }

                blocks.Add(new MarkdownCodeBlock(start + 1, code.ToString()));
            }
        }

        return blocks;
    }
}
