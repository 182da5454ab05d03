// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.Sessions;

/// <summary>
/// Background work kept until it completes (processes starting or ending), so that disposal can wait for what is
/// still under way.
/// </summary>
internal sealed class TrackedTasks
{
    private readonly HashSet<Task> _tasks = [];

    /// <summary>Keeps <paramref name="task"/> until it completes.</summary>
    public void Add(Task task)
    {
        lock (this._tasks)
        {
            this._tasks.Add(task);
        }

        _ = task.ContinueWith(
            finished =>
            {
                lock (this._tasks)
                {
                    this._tasks.Remove(finished);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when everything kept now has completed.</summary>
    public Task WhenAllAsync()
    {
        lock (this._tasks)
        {
            return Task.WhenAll(this._tasks);
        }
    }
}
