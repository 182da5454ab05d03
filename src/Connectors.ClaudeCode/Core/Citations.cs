// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>The citations of an answer, as the public <see cref="ClaudeCodeCitation"/> records.</summary>
internal static class Citations
{
    /// <summary>A citation as streamed: its place in the answer is the text streamed just before it, not an index.</summary>
    public static ClaudeCodeCitation ToPublic(CliCitation citation)
        => new(citation.CitedText, citation.DocumentIndex, citation.DocumentTitle, citation.Type, citation.Start, citation.End);

    /// <summary>
    /// The citations of the turn's answer (its last model response), each with the span of the answer's text it
    /// backs: the answer is its text blocks joined, as <see cref="ChatContentFactory.CreateMessage"/> joins them.
    /// </summary>
    public static IReadOnlyList<ClaudeCodeCitation> OfAnswer(TurnResult turn)
    {
        if (turn.Messages.Count == 0)
        {
            return [];
        }

        var citations = new List<ClaudeCodeCitation>();
        var offset = 0;
        foreach (var block in turn.Messages[^1].Blocks)
        {
            if (block is not CliTextBlock text)
            {
                continue;
            }

            foreach (var citation in text.Citations)
            {
                citations.Add(ToPublic(citation) with { AnswerStart = offset, AnswerEnd = offset + text.Text.Length });
            }

            offset += text.Text.Length;
        }

        return citations;
    }
}
