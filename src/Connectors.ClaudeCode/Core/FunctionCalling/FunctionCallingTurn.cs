// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

/// <summary>
/// The function-calling bridge for one turn. Serves kernel functions as the in-process MCP server the CLI talks to
/// over the control protocol, decides every tool call through the CLI's permission request (allow in auto mode,
/// refuse and stop the turn in manual mode, refuse in None mode), runs calls through SK's filters, and records
/// the calls and results in the caller's history as SK's other connectors do.
/// </summary>
internal sealed class FunctionCallingTurn
{
    private readonly FunctionCallingPlan _plan;
    private readonly ChatHistory _chatHistory;
    private readonly PromptExecutionSettings _settings;
    private readonly bool _isStreaming;
    private readonly ClaudeCodeOptions _options;
    private readonly ILogger _logger;
    private readonly int _requestIndexOffset;

    // Captured in the caller's flow; the invocations run on the transport's threads.
    private readonly int _callerDepth = AutoFunctionInvoker.CurrentDepth;
    private readonly object _gate = new();
    private readonly List<ModelMessageState> _messages = [];

    // Fed by the turn that runs this bridge (ActiveTurn); a bridge used alone reads an empty one until attached.
    private TurnTranscript _transcript = new();
    private Func<Task>? _stopTurn;

    public FunctionCallingTurn(FunctionCallingPlan plan, ChatHistory chatHistory, PromptExecutionSettings settings, bool isStreaming, ClaudeCodeOptions options, ILogger logger, int requestIndexOffset = 0)
    {
        this._plan = plan;
        this._chatHistory = chatHistory;
        this._settings = settings;
        this._isStreaming = isStreaming;
        this._options = options;
        this._logger = logger;
        this._requestIndexOffset = requestIndexOffset;
    }

    public FunctionCallingPlan Plan => this._plan;

    /// <summary>Manual mode: the turn was stopped at these calls (an assistant message with <see cref="FunctionCallContent"/>s).</summary>
    public ChatMessageContent? PendingCalls { get; private set; }

    /// <summary>A filter set <c>Terminate</c>: the tool message of the last call, which SK returns as the answer.</summary>
    public ChatMessageContent? TerminationMessage { get; private set; }

    /// <summary>Required in auto mode: the first round ran, and the turn was stopped so that the next request is not forced.</summary>
    public bool StoppedAfterFirstRound { get; private set; }

    /// <summary>How many model requests of the turn were seen (the next turn of a Required conversation continues the count).</summary>
    public int RequestCount
    {
        get
        {
            lock (this._gate)
            {
                return this._messages.Count;
            }
        }
    }

    /// <summary>True when the connector itself ended the turn early; the CLI then reports an aborted turn, which is expected.</summary>
    public bool EndedByHost => this.PendingCalls is not null || this.TerminationMessage is not null || this.StoppedAfterFirstRound;

    /// <summary>
    /// True when calls returned to the caller (manual mode) keep the CLI waiting for their results instead of ending
    /// the turn, so that the process can take them (set when the process may stay for the conversation).
    /// </summary>
    public bool HoldCallsForCaller { get; set; }

    /// <summary>The calls held for the caller, once the turn stopped at them with <see cref="HoldCallsForCaller"/>.</summary>
    public HeldToolCalls? Held { get; private set; }

    /// <summary>
    /// The caller's results for calls an earlier turn held, by call id: this turn lets the CLI run those calls and
    /// answers them with these results.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ResultsForHeldCalls { get; set; }

    /// <summary>
    /// Stops the turn at the latest model message's function calls for the caller, keeping the CLI waiting (with
    /// <see cref="HoldCallsForCaller"/>); the same answer however often it is called. Null when the message has no calls.
    /// </summary>
    public ChatMessageContent? HoldForCaller()
    {
        lock (this._gate)
        {
            if (this.Held is null && this._messages.LastOrDefault(m => m.ToolUses.Count > 0) is { } state)
            {
                state.Content ??= this.BuildAssistantMessage(state, modelId: null);
                this.PendingCalls ??= state.Content;
                this.Held = new HeldToolCalls(state.ToolUses);
                this._logger.LogDebug("Holding {Count} function call(s) for the caller; the CLI waits for their results.", state.ToolUses.Count);
            }

            return this.PendingCalls;
        }
    }

    /// <summary>The caller's token for the whole turn; function invocations observe it.</summary>
    public CancellationToken TurnCancellation { get; set; }

    /// <summary>Gives the bridge a way to stop the CLI's turn (an <c>interrupt</c>).</summary>
    public void AttachStop(Func<Task> stopTurn) => this._stopTurn = stopTurn;

    /// <summary>Reads the model's blocks from the turn's transcript, which the turn feeds before this bridge observes a message.</summary>
    public void AttachTranscript(TurnTranscript transcript) => this._transcript = transcript;

    /// <summary>The <c>initialize</c> fields that register the in-process MCP server.</summary>
    public static JsonArray SdkMcpServers() => [ToolNaming.ServerName];

    /// <summary>The in-process MCP server as <c>mcp_set_servers</c> names it, for a process started without it.</summary>
    public static JsonObject SdkMcpServerConfigs() => new() { [ToolNaming.ServerName] = new JsonObject { ["type"] = "sdk", ["name"] = ToolNaming.ServerName } };

    /// <summary>Follows the model's messages as they stream; runs on the transport's reading thread, so it only records.</summary>
    public void Observe(CliMessage message)
    {
        switch (message)
        {
            case CliStreamEvent { ParentToolUseId: null } streamEvent:
                switch (streamEvent.EventType)
                {
                    case "message_start":
                        lock (this._gate)
                        {
                            var id = streamEvent.MessageId;
                            this._messages.Add(new ModelMessageState(id, this._requestIndexOffset + this._messages.Count, this._transcript));
                        }

                        break;
                    case "message_delta":
                    case "message_stop":
                        this.Current()?.Completed.TrySetResult();
                        break;
                }

                break;

            case CliAssistantMessage { ParentToolUseId: null, IsSynthetic: false } assistant when assistant.Blocks.Count > 0:
                lock (this._gate)
                {
                    var state = this._messages.LastOrDefault(m => m.Id == assistant.MessageId) ?? this.AddMessageLocked(assistant.MessageId);
                    state.Model ??= assistant.Model;
                }

                break;

            case CliResultMessage:
                // Whatever is still waiting can wait no longer.
                lock (this._gate)
                {
                    foreach (var state in this._messages)
                    {
                        state.Completed.TrySetResult();
                    }
                }

                break;
        }
    }

    /// <summary>Answers the CLI's control requests for tools: permission prompts and MCP messages.</summary>
    public Task<JsonNode?> HandleAsync(CliControlRequest request, CancellationToken cancellationToken)
        => request.RequestSubtype switch
        {
            "can_use_tool" => this.DecideAsync(request.Request, cancellationToken),
            "mcp_message" => this.HandleMcpAsync(request.Request, cancellationToken),
            _ => throw new NotSupportedException($"Unsupported control request subtype: {request.RequestSubtype}"),
        };

    /// <summary>The assistant message of a model response, as SK content: text, thinking, and function calls.</summary>
    public ChatMessageContent BuildAssistantMessage(ModelMessageState state, string? modelId)
    {
        modelId ??= state.Model;
        var items = new ChatMessageContentItemCollection();
        foreach (var block in state.Blocks)
        {
            switch (block)
            {
                case CliThinkingBlock { Thinking.Length: > 0 } thinking:
                    items.Add(new ReasoningContent(thinking.Thinking) { ModelId = modelId });
                    break;
                case CliTextBlock { Text.Length: > 0 } text:
                    items.Add(new TextContent(text.Text) { ModelId = modelId });
                    break;
                case CliToolUseBlock toolUse when toolUse.Name.StartsWith(ToolNaming.McpPrefix, StringComparison.Ordinal):
                    // Built-in tool calls already ran inside the CLI; in the history they would be calls without results.
                    items.Add(this.ToFunctionCall(toolUse));
                    break;
            }
        }

        return new ChatMessageContent(AuthorRole.Assistant, items, modelId);
    }

    /// <summary>A <c>tool_use</c> block as a <see cref="FunctionCallContent"/> with the real plugin and function names.</summary>
    public FunctionCallContent ToFunctionCall(CliToolUseBlock toolUse)
    {
        var (pluginName, functionName) = this._plan.Catalog.TryGet(toolUse.Name, out var entry)
            ? (entry.PluginName, entry.FunctionName)
            : ToolNaming.Parse(toolUse.Name);
        return new FunctionCallContent(functionName, pluginName, toolUse.Id, ToolCatalog.ToArguments(toolUse.Input));
    }

    private ModelMessageState? Current()
    {
        lock (this._gate)
        {
            return this._messages.Count > 0 ? this._messages[^1] : null;
        }
    }

    private ModelMessageState AddMessageLocked(string? id)
    {
        var state = new ModelMessageState(id, this._requestIndexOffset + this._messages.Count, this._transcript);
        this._messages.Add(state);
        return state;
    }

    private ModelMessageState? FindMessage(string? toolUseId)
    {
        lock (this._gate)
        {
            return toolUseId is null ? this._messages.LastOrDefault() : this._messages.LastOrDefault(m => m.Contains(toolUseId)) ?? this._messages.LastOrDefault();
        }
    }

    private async Task<JsonNode?> DecideAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var toolUseId = request.GetStringOrNull("tool_use_id");
        var input = request.GetPropertyOrNull("input")?.Clone();
        if (toolUseId is not null && this.ResultsForHeldCalls?.ContainsKey(toolUseId) == true)
        {
            // A call an earlier turn returned to the caller, whose result this turn carries.
            return Allow(input);
        }

        var state = this.FindMessage(toolUseId) ?? throw new InvalidOperationException("A tool call arrived before any model message.");

        // Parallel calls arrive one by one, the first before the others are even streamed: decide only once the
        // whole message is known.
        await state.Completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        if (!this._plan.Catalog.TryGet(request.GetStringOrNull("tool_name") ?? string.Empty, out _))
        {
            return Deny($"'{request.GetStringOrNull("tool_name")}' is not one of the functions offered. Call only the listed functions.");
        }

        switch (this._plan.Mode)
        {
            case FunctionCallingMode.None:
                return Deny("Calling functions is not allowed in this request; answer without them.");

            case FunctionCallingMode.Manual when this.HoldCallsForCaller:
                this.HoldForCaller();
                if (this.Held is { } held && held.Calls[0].Id == toolUseId)
                {
                    // Answered when the caller's results arrive, in a later call on this process; or never, if the
                    // process ends first (ending it withdraws this request).
                    return await held.FirstPermission.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                return Deny("The caller will run this function.", interrupt: true);

            case FunctionCallingMode.Manual:
                lock (this._gate)
                {
                    state.Content ??= this.BuildAssistantMessage(state, modelId: null);
                    this.PendingCalls ??= state.Content;
                }

                this._logger.LogDebug("Stopping the turn at {Count} function call(s) for the caller to run.", state.ToolUses.Count);

                // Refusing with interrupt ends the turn; the CLI refuses the message's other calls itself.
                return Deny("The caller will run this function.", interrupt: true);
        }

        if (this.TerminationMessage is not null || this.StoppedAfterFirstRound)
        {
            return Deny("The function-calling loop was ended.", interrupt: true);
        }

        var round = state.RequestIndex - this._requestIndexOffset;
        if (round >= this._options.MaximumAutoInvokeAttempts)
        {
            this._logger.LogDebug("Maximum auto-invoke attempts ({Max}) reached.", this._options.MaximumAutoInvokeAttempts);
            return Deny(string.Create(CultureInfo.InvariantCulture, $"Function calling is disabled for the rest of this request: the limit of {this._options.MaximumAutoInvokeAttempts} rounds of function calls is reached. Answer without calling functions."));
        }

        lock (this._gate)
        {
            if (!state.AddedToHistory)
            {
                state.Content ??= this.BuildAssistantMessage(state, modelId: null);
                this._chatHistory.Add(state.Content);
                state.AddedToHistory = true;
                if (this._plan.AllowConcurrentInvocation)
                {
                    foreach (var toolUse in state.ToolUses)
                    {
                        this.StartInvocationLocked(state, toolUse);
                    }
                }
            }
        }

        return Allow(input);
    }

    /// <summary>A permission answer that lets the call run with its input unchanged.</summary>
    public static JsonObject Allow(JsonElement? input)
    {
        var allow = new JsonObject { ["behavior"] = "allow" };
        if (input is { ValueKind: not JsonValueKind.Undefined } original)
        {
            allow["updatedInput"] = JsonNode.Parse(original.GetRawText());
        }

        return allow;
    }

    private Task<FunctionCallOutcome> StartInvocationLocked(ModelMessageState state, CliToolUseBlock toolUse)
    {
        // Invocations belong to the turn, not to the control request that started them (which ends sooner).
        var cancellationToken = this.TurnCancellation;
        var id = toolUse.Id;
        if (state.Invocations.TryGetValue(id, out var existing))
        {
            return existing;
        }

        var toolUses = state.ToolUses;
        var index = toolUses.ToList().FindIndex(t => t.Id == id);
        var name = toolUse.Name;
        var input = toolUse.Input;
        var site = new FunctionCallSite
        {
            ToolCallId = id,
            RequestSequenceIndex = state.RequestIndex,
            FunctionSequenceIndex = Math.Max(index, 0),
            FunctionCount = toolUses.Count,
            IsStreaming = this._isStreaming,
            ExecutionSettings = this._settings,
        };

        Task<FunctionCallOutcome> task;
        if (!this._plan.Catalog.TryGet(name, out var entry) || entry.Function is not { } function)
        {
            task = Task.FromResult(new FunctionCallOutcome("Error: Requested function could not be found. Call only the listed functions.", isError: true, terminate: false, value: null));
        }
        else
        {
            var assistant = state.Content!;
            var kernel = this._plan.Kernel!;
            if (this._logger.IsEnabled(LogLevel.Debug))
            {
                this._logger.LogDebug("Invoking {Plugin}.{Function} for call {CallId} ({Index} of {Count} in request {Request}).", function.PluginName, function.Name, id, site.FunctionSequenceIndex + 1, site.FunctionCount, site.RequestSequenceIndex);
            }

            task = Task.Run(
                () => AutoFunctionInvoker.InvokeAsync(kernel, function, ToolCatalog.ToArguments(input), this._chatHistory, assistant, site, this._callerDepth, this._options.MaxFunctionResultLength, this._logger, cancellationToken),
                cancellationToken);
        }

        state.Invocations[id] = task;
        return task;
    }

    private async Task<JsonNode?> HandleMcpAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var message = request.GetPropertyOrNull("message") ?? default;
        var method = message.GetStringOrNull("method");
        var id = McpMessages.RequestId(message);

        var result = method switch
        {
            "tools/list" => this._plan.Catalog.ToolsListResult(),
            "tools/call" => await this.CallToolAsync(message.GetPropertyOrNull("params") ?? default, cancellationToken).ConfigureAwait(false),
            _ => McpMessages.HandshakeResult(message),
        };

        return result is null
            ? McpMessages.Response(id, error: new JsonObject { ["code"] = -32601, ["message"] = $"Method not found: {method}" })
            : McpMessages.Response(id, result: result);
    }

    private async Task<JsonNode> CallToolAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        var name = parameters.GetStringOrNull("name") ?? string.Empty;
        var toolUseId = parameters.GetPropertyOrNull("_meta")?.GetStringOrNull("claudecode/toolUseId");
        if (toolUseId is not null && this.ResultsForHeldCalls?.TryGetValue(toolUseId, out var heldResult) == true)
        {
            return McpMessages.ToolResult(heldResult, isError: false);
        }

        var state = this.FindMessage(toolUseId);
        if (state is null || this._plan.Mode != FunctionCallingMode.Auto)
        {
            return McpMessages.ToolResult("Error: This function call was not expected.", isError: true);
        }

        Task<FunctionCallOutcome> invocation;
        lock (this._gate)
        {
            // The call's own arguments are what runs (the permission answer may have changed the input); a call with
            // no block to match (the CLI always sends the id) is taken as it is.
            var arguments = parameters.GetPropertyOrNull("arguments") ?? JsonSerializer.SerializeToElement(new JsonObject());
            var toolUse = state.ToolUses.FirstOrDefault(t => t.Id == toolUseId) is { } known
                ? known with { Input = arguments }
                : new CliToolUseBlock(toolUseId ?? string.Empty, name, arguments, default);

            state.Content ??= this.BuildAssistantMessage(state, modelId: null);
            invocation = this.StartInvocationLocked(state, toolUse);
        }

        var outcome = await invocation.WaitAsync(cancellationToken).ConfigureAwait(false);
        var call = this.ToFunctionCall(state.ToolUses.FirstOrDefault(t => t.Id == toolUseId) ?? new CliToolUseBlock(toolUseId ?? string.Empty, name, default, default));

        var stop = false;
        lock (this._gate)
        {
            // SK's shape: one tool message per call, its text the result, with a FunctionResultContent tied to the call id.
            var toolMessage = new ChatMessageContent(AuthorRole.Tool, outcome.Text);
            toolMessage.Items.Add(new FunctionResultContent(call.FunctionName, call.PluginName, call.Id, outcome.Value ?? outcome.Text));
            this._chatHistory.Add(toolMessage);
            state.Answered++;

            if (outcome.Terminate && this.TerminationMessage is null)
            {
                this._logger.LogDebug("Filter requested termination of the function-calling loop.");
                this.TerminationMessage = toolMessage;
                stop = true;
            }
            else if (this._plan.StopAfterFirstRound && state.Answered >= state.ToolUses.Count && !this.StoppedAfterFirstRound)
            {
                this.StoppedAfterFirstRound = true;
                stop = true;
            }
        }

        if (stop && this._stopTurn is { } stopTurn)
        {
            // Stop before answering, or the CLI would start the next model request at once.
            await stopTurn().ConfigureAwait(false);
        }

        return McpMessages.ToolResult(outcome.Text, outcome.IsError);
    }

    private static JsonObject Deny(string message, bool interrupt = false)
    {
        var answer = new JsonObject { ["behavior"] = "deny", ["message"] = message };
        if (interrupt)
        {
            answer["interrupt"] = true;
        }

        return answer;
    }
}
