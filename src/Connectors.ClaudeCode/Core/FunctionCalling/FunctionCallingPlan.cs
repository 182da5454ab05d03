// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Nodes;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>What a <see cref="FunctionChoiceBehavior"/> asks for in one turn: which functions, and how calls are handled.</summary>
internal sealed class FunctionCallingPlan
{
    /// <summary>Creates a plan; <see cref="Create"/> derives one from SK settings, the chat client face builds its own.</summary>
    public FunctionCallingPlan(ToolCatalog catalog, FunctionCallingMode mode, Kernel? kernel)
    {
        this.Catalog = catalog;
        this.Mode = mode;
        this.Kernel = kernel;
    }

    public ToolCatalog Catalog { get; }

    public FunctionCallingMode Mode { get; }

    public Kernel? Kernel { get; }

    /// <summary>The model must call a function (<c>FunctionChoiceBehavior.Required</c>).</summary>
    public bool Required { get; init; }

    /// <summary>The one function the model must call (MEAI's <c>RequireSpecific</c>); null for any.</summary>
    public string? RequiredFunctionName { get; init; }

    /// <summary>Several calls of one message run at the same time.</summary>
    public bool AllowConcurrentInvocation { get; init; }

    /// <summary>
    /// The turn ends after the first round of calls, so that the next model request can run without the
    /// forced tool choice (Required applies to the first request only, as in SK's other connectors).
    /// </summary>
    public bool StopAfterFirstRound => this.Required && this.Mode == FunctionCallingMode.Auto;

    /// <summary>
    /// The plan for the requests after a Required first round: the same functions, auto-invoked, nothing forced.
    /// (SK's Required offers no functions after the first request; Claude needs the tools of the calls in its history
    /// defined, so they stay offered.)
    /// </summary>
    public FunctionCallingPlan WithoutForcing()
        => new(this.Catalog, FunctionCallingMode.Auto, this.Kernel)
        {
            AllowConcurrentInvocation = this.AllowConcurrentInvocation,
            AllowParallelCalls = this.AllowParallelCalls,
        };

    /// <summary>Resolves the behavior of <paramref name="settings"/>; null when it offers no function.</summary>
    public static FunctionCallingPlan? Create(PromptExecutionSettings settings, ChatHistory chatHistory, Kernel? kernel, int requestSequenceIndex)
    {
        if (settings.FunctionChoiceBehavior is not { } behavior)
        {
            return null;
        }

        var configuration = behavior.GetConfiguration(new FunctionChoiceBehaviorConfigurationContext(chatHistory)
        {
            Kernel = kernel,
            RequestSequenceIndex = requestSequenceIndex,
        });

        var functions = configuration.Functions;
        if (functions is null || functions.Count == 0)
        {
            return null;
        }

        var mode = configuration.Choice == FunctionChoice.None
            ? FunctionCallingMode.None
            : configuration.AutoInvoke ? FunctionCallingMode.Auto : FunctionCallingMode.Manual;

        return new FunctionCallingPlan(ToolCatalog.FromKernelFunctions(functions), mode, kernel)
        {
            Required = configuration.Choice == FunctionChoice.Required,
            AllowConcurrentInvocation = configuration.Options?.AllowConcurrentInvocation ?? false,
            AllowParallelCalls = configuration.Options?.AllowParallelCalls,
        };
    }

    /// <summary>Whether the model may put several calls in one message; null leaves the API's default.</summary>
    public bool? AllowParallelCalls { get; init; }

    /// <summary>The API's <c>tool_choice</c> for this plan, or null for the default (auto).</summary>
    public JsonObject? ToolChoice()
    {
        string? type = this.Mode == FunctionCallingMode.None ? "none" : this.Required ? (this.RequiredFunctionName is null ? "any" : "tool") : null;
        if (type is null && this.AllowParallelCalls != false)
        {
            return null;
        }

        var choice = new JsonObject { ["type"] = type ?? "auto" };
        if (type == "tool")
        {
            choice["name"] = ToolNaming.McpPrefix + ToolNaming.ToolName(null, this.RequiredFunctionName!);
        }
        if (this.AllowParallelCalls == false && type != "none")
        {
            choice["disable_parallel_tool_use"] = true;
        }

        return choice;
    }
}
