// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>Runs one kernel function the way SK's connectors do: through the kernel's auto-invocation filters.</summary>
internal static class AutoFunctionInvoker
{
    // How many auto-invoked functions are running in this async flow, one inside another.
    private static readonly AsyncLocal<int> s_depth = new();

    /// <summary>The nesting depth of auto-invoked functions in the current async flow (0 outside any).</summary>
    public static int CurrentDepth => s_depth.Value;

    /// <summary>Invokes <paramref name="function"/>; failures become error text for the model, never exceptions (except cancellation).</summary>
    public static async Task<FunctionCallOutcome> InvokeAsync(
        Kernel kernel,
        KernelFunction function,
        KernelArguments arguments,
        ChatHistory chatHistory,
        ChatMessageContent assistantMessage,
        FunctionCallSite site,
        int callerDepth,
        int maxResultLength,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var context = new AutoFunctionInvocationContext(kernel, function, new FunctionResult(function) { Culture = kernel.Culture }, chatHistory, assistantMessage)
        {
            Arguments = arguments,
            RequestSequenceIndex = site.RequestSequenceIndex,
            FunctionSequenceIndex = site.FunctionSequenceIndex,
            FunctionCount = site.FunctionCount,
            CancellationToken = cancellationToken,
            ToolCallId = site.ToolCallId,
            IsStreaming = site.IsStreaming,
            ExecutionSettings = site.ExecutionSettings,
        };

        // The call runs on a thread of the CLI transport, whose flow is not the caller's: carry the depth over.
        s_depth.Value = callerDepth + 1;
        try
        {
            await RunFiltersAsync(kernel.AutoFunctionInvocationFilters, 0, context, static async ctx =>
            {
                // The caller's settings are not passed on: a prompt function must not re-advertise the functions.
                ctx.Result = await ctx.Function.InvokeAsync(ctx.Kernel, ctx.Arguments, ctx.CancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The model is told about any failure, as SK's connectors do, and may recover.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogDebug(ex, "Function {Plugin}.{Function} failed.", function.PluginName, function.Name);
            return new FunctionCallOutcome($"Error: Exception while invoking function. {ex.Message}", isError: true, context.Terminate, value: null);
        }

        var value = context.Result.GetValue<object>();
        var text = Truncate(ChatHistoryConverter.ResultText(value), maxResultLength);
        return new FunctionCallOutcome(text, isError: false, context.Terminate, value);
    }

    private static string Truncate(string text, int maxLength)
    {
        if (maxLength <= 0 || text.Length <= maxLength)
        {
            return text;
        }

        return string.Concat(
            text.AsSpan(0, maxLength),
            string.Create(CultureInfo.InvariantCulture, $"\n[Result truncated: showing {maxLength} of {text.Length} characters.]"));
    }

    private static async Task RunFiltersAsync(
        IList<IAutoFunctionInvocationFilter> filters,
        int index,
        AutoFunctionInvocationContext context,
        Func<AutoFunctionInvocationContext, Task> innermost)
    {
        if (index < filters.Count)
        {
            await filters[index].OnAutoFunctionInvocationAsync(context, ctx => RunFiltersAsync(filters, index + 1, ctx, innermost)).ConfigureAwait(false);
        }
        else
        {
            await innermost(context).ConfigureAwait(false);
        }
    }
}
