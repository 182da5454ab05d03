// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Threading;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The empty directory a service's CLI processes run in when the app names none: the CLI tells the model its working
/// directory and whether it is a git repository, and reads project files from it, so the app's own must stay out.
/// Created at the first call, removed when the service is disposed.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    private readonly Lazy<string> _path = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The directory, created on first use.</summary>
    public string Path => this._path.Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!this._path.IsValueCreated)
        {
            return;
        }

        try
        {
            Directory.Delete(this._path.Value, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived its service may still hold it; the OS's temp cleaning takes it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Create()
        => Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "claude-code-" + Guid.NewGuid().ToString("N")[..12])).FullName;
}
