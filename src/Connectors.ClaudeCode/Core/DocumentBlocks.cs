// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// Turns a <see cref="BinaryContent"/> of the history into a Messages API <c>document</c> block: a PDF by data
/// (base64) or by http(s) URL, a plain-text document by data. Other media types have no document form in the API,
/// so they are refused here, before any process starts.
/// </summary>
internal static class DocumentBlocks
{
    /// <summary>The metadata key whose string value becomes the document's <c>title</c>.</summary>
    public const string TitleMetadataKey = "title";

    public const string PdfMediaType = "application/pdf";

    public const string TextMediaType = "text/plain";

    /// <summary>The <c>document</c> block for <paramref name="content"/>; throws <see cref="NotSupportedException"/> for a media type Claude cannot read.</summary>
    public static JsonObject Create(BinaryContent content, bool citations)
    {
        var mediaType = MediaTypeOf(content.MimeType);
        if (mediaType != PdfMediaType && mediaType != TextMediaType)
        {
            throw new NotSupportedException(
                $"Content of media type '{content.MimeType ?? "(none)"}' ({content.GetType().Name}) is not supported; Claude takes images, and documents of type {PdfMediaType} or {TextMediaType}.");
        }

        JsonObject source;
        if (content.Data is { IsEmpty: false } data)
        {
            source = mediaType == PdfMediaType
                ? new JsonObject { ["type"] = "base64", ["media_type"] = PdfMediaType, ["data"] = Convert.ToBase64String(data.Span) }
                : new JsonObject { ["type"] = "text", ["media_type"] = TextMediaType, ["data"] = Encoding.UTF8.GetString(data.Span) };
        }
        else if (content.Uri is { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            if (mediaType != PdfMediaType)
            {
                // The API fetches PDFs only; a text document must travel as its text.
                throw new NotSupportedException($"A {TextMediaType} document given by URL ({uri}) is not supported; Claude fetches only PDFs by URL. Pass the text as data.");
            }

            source = new JsonObject { ["type"] = "url", ["url"] = uri.ToString() };
        }
        else
        {
            throw new ArgumentException($"A {mediaType} document in the chat history has neither data nor an http(s) URI.");
        }

        var block = new JsonObject { ["type"] = "document", ["source"] = source };
        if (content.Metadata?.TryGetValue(TitleMetadataKey, out var title) == true && title is string { Length: > 0 } text)
        {
            block["title"] = text;
        }

        if (citations)
        {
            block["citations"] = new JsonObject { ["enabled"] = true };
        }

        return block;
    }

    /// <summary>The media type without parameters (<c>text/plain; charset=utf-8</c> is <c>text/plain</c>), lower case.</summary>
    private static string? MediaTypeOf(string? mimeType)
    {
        if (string.IsNullOrWhiteSpace(mimeType))
        {
            return null;
        }

        var separator = mimeType.IndexOf(';', StringComparison.Ordinal);
        return (separator >= 0 ? mimeType[..separator] : mimeType).Trim().ToLowerInvariant();
    }
}
