// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Files the connector writes for a single call (long system prompts).</summary>
internal static class TemporaryFiles
{
    /// <summary>Deletes <paramref name="path"/> when given; a file already gone or locked is left to the OS's temp cleaning.</summary>
    public static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
