// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;

namespace Connectors.ClaudeCode.Examples.FunctionCalling;

/// <summary>
/// Prints every function call Semantic Kernel makes on Claude's behalf, with its arguments and result. A filter is
/// where an app would check, log, or refuse a call (set <c>context.Terminate</c>, or skip <c>next</c>).
/// </summary>
internal sealed class ConsoleFunctionInvocationFilter : IAutoFunctionInvocationFilter
{
    /// <inheritdoc/>
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var arguments = string.Join(", ", (context.Arguments ?? []).Select(a => $"{a.Key}={a.Value}"));
        Console.WriteLine($"[filter] round {context.RequestSequenceIndex + 1}, call {context.FunctionSequenceIndex + 1} of {context.FunctionCount}: " +
            $"{context.Function.PluginName}.{context.Function.Name}({arguments}) id {context.ToolCallId}");
        await next(context);
        Console.WriteLine($"[filter] {context.Function.Name} returned: {context.Result.GetValue<object>()}");
    }
}
