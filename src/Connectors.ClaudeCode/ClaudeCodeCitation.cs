// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// One citation of an answer: a passage of a document of the request that backs part of the answer (see
/// <see cref="ClaudeCodeMetadataKeys.Citations"/>).
/// </summary>
/// <param name="CitedText">The cited passage, as it stands in the document.</param>
/// <param name="DocumentIndex">Which document of the request (0 for the first document, counted over the whole conversation).</param>
/// <param name="DocumentTitle">The document's title, when it had one.</param>
/// <param name="LocationType">
/// How <paramref name="Start"/> and <paramref name="End"/> count: <c>char_location</c> (characters of a plain-text
/// document, 0-based), <c>page_location</c> (pages of a PDF, 1-based) or <c>content_block_location</c> (blocks of a
/// custom-content document, 0-based); the end is exclusive.
/// </param>
/// <param name="Start">Where the passage starts in the document.</param>
/// <param name="End">Where the passage ends in the document (exclusive).</param>
public sealed record ClaudeCodeCitation(string CitedText, int DocumentIndex, string? DocumentTitle, string LocationType, int? Start, int? End)
{
    /// <summary>
    /// Where the answer's text that the citation backs starts, as a character index into the answer's text; null on a
    /// streaming chunk (the text is the one streamed just before it).
    /// </summary>
    public int? AnswerStart { get; init; }

    /// <summary>Where the answer's text that the citation backs ends (exclusive); null on a streaming chunk.</summary>
    public int? AnswerEnd { get; init; }
}
