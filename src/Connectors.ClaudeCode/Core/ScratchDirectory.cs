// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>
/// The empty directory a service's CLI processes run in when the app names none: the CLI tells the model its working
/// directory and whether it is a git repository, and reads project files from it, so the app's own must stay out.
/// Created at the first call, removed when the service is disposed, or when the host exits if the app never
/// disposed the service.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> s_undisposed = new(StringComparer.Ordinal);
    private static int s_hooked;

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

        s_undisposed.TryRemove(this._path.Value, out _);
        DeleteQuietly(this._path.Value);
    }

    private static string Create()
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var path in s_undisposed.Keys)
                {
                    DeleteQuietly(path);
                }
            };
        }

        var path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "claude-code-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        s_undisposed[path] = 0;
        return path;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived its service may still hold it; the OS's temp cleaning takes it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
