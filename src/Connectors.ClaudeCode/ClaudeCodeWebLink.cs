// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>A page a web search found, as Claude Code's <c>WebSearch</c> tool reported it to the model.</summary>
/// <param name="Title">The page's title.</param>
/// <param name="Url">The page's address.</param>
public sealed record ClaudeCodeWebLink(string Title, Uri Url);
