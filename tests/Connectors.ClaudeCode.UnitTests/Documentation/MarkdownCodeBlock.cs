// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Connectors.ClaudeCode.UnitTests.Documentation;

/// <summary>A fenced code block of a Markdown file.</summary>
/// <param name="Line">The 1-based line of the opening fence, so a failure points at the block in the file.</param>
/// <param name="Code">The lines between the fences.</param>
internal sealed record MarkdownCodeBlock(int Line, string Code);
