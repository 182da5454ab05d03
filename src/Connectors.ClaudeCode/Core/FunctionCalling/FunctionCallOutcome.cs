// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>What one function call produced: the text the model gets, and what the filters decided.</summary>
internal sealed class FunctionCallOutcome
{
    public FunctionCallOutcome(string text, bool isError, bool terminate, object? value)
    {
        this.Text = text;
        this.IsError = isError;
        this.Terminate = terminate;
        this.Value = value;
    }

    /// <summary>The result as the model sees it (truncated when too long).</summary>
    public string Text { get; }

    /// <summary>True when the call failed; the model is told so.</summary>
    public bool IsError { get; }

    /// <summary>A filter asked to end the auto-invocation loop.</summary>
    public bool Terminate { get; }

    /// <summary>The function's result value, for the caller's history.</summary>
    public object? Value { get; }
}
