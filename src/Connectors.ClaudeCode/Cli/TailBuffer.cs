// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>Keeps the last lines of a text stream, each cut to a readable length, for error messages.</summary>
internal sealed class TailBuffer
{
    private const int MaxLineLength = 2000;
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly object _gate = new();

    public TailBuffer(int capacity)
    {
        this._capacity = capacity;
    }

    public void Add(string line)
    {
        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), "…");
        }

        lock (this._gate)
        {
            this._lines.Enqueue(line);
            while (this._lines.Count > this._capacity)
            {
                this._lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (this._gate)
        {
            return string.Join("\n", this._lines);
        }
    }
}
