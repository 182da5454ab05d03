// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Core.FunctionCalling;

public sealed class FunctionCallingTurnTests
{
    /// <summary>The transcript the test's bridge reads (xunit makes one test class instance per test).</summary>
    private readonly TurnTranscript _transcript = new();

    /// <summary>A CLI message, as a turn passes it on: the transcript first, then the bridge.</summary>
    private void Feed(FunctionCallingTurn turn, CliMessage message)
    {
        this._transcript.Observe(message);
        turn.Observe(message);
    }

    private (FunctionCallingTurn Turn, ChatHistory History) CreateTurn(FunctionChoiceBehavior behavior, Kernel? kernel = null)
    {
        kernel ??= new Kernel();
        if (kernel.Plugins.Count == 0)
        {
            kernel.Plugins.AddFromFunctions("Math", [KernelFunctionFactory.CreateFromMethod((int a, int b) => a + b, "Add", "Adds two numbers")]);
        }

        var history = new ChatHistory();
        history.AddUserMessage("add");
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = behavior };
        var plan = FunctionCallingPlan.Create(settings, history, kernel, 0)!;
        var turn = new FunctionCallingTurn(plan, history, settings, isStreaming: false, new ClaudeCodeOptions(), NullLogger.Instance);
        turn.AttachTranscript(this._transcript);
        return (turn, history);
    }

    private static CliControlRequest Mcp(string method, string parameters = "{}", int id = 1)
        => (CliControlRequest)CliMessageParser.Parse(new JsonObject
        {
            ["type"] = "control_request",
            ["request_id"] = "r" + id,
            ["request"] = new JsonObject
            {
                ["subtype"] = "mcp_message",
                ["server_name"] = "kernel",
                ["message"] = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = JsonNode.Parse(parameters) },
            },
        }.ToJsonString());

    [Fact]
    public async Task TheMcpHandshakeIsAnswered()
    {
        var (turn, _) = this.CreateTurn(FunctionChoiceBehavior.Auto());

        var initialize = await turn.HandleAsync(Mcp("initialize", """{"protocolVersion":"2025-11-25"}"""), CancellationToken.None);
        var list = await turn.HandleAsync(Mcp("tools/list", id: 2), CancellationToken.None);
        var unknown = await turn.HandleAsync(Mcp("resources/list", id: 3), CancellationToken.None);

        Assert.Equal("2025-11-25", initialize!["mcp_response"]!["result"]!["protocolVersion"]!.GetValue<string>());
        Assert.Equal(1, initialize["mcp_response"]!["id"]!.GetValue<int>());
        var tool = list!["mcp_response"]!["result"]!["tools"]![0]!;
        Assert.Equal("Math-Add", tool["name"]!.GetValue<string>());
        Assert.Equal("Adds two numbers", tool["description"]!.GetValue<string>());
        Assert.Equal("integer", tool["inputSchema"]!["properties"]!["a"]!["type"]!.GetValue<string>());
        Assert.Equal(-32601, unknown!["mcp_response"]!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task NotificationsAreAcknowledgedAndUnknownSubtypesRefused()
    {
        var (turn, _) = this.CreateTurn(FunctionChoiceBehavior.Auto());
        var notification = (CliControlRequest)CliMessageParser.Parse("""{"type":"control_request","request_id":"n","request":{"subtype":"mcp_message","server_name":"kernel","message":{"jsonrpc":"2.0","method":"notifications/initialized"}}}""");

        var answer = await turn.HandleAsync(notification, CancellationToken.None);

        Assert.NotNull(answer!["mcp_response"]!["result"]);
        await Assert.ThrowsAsync<NotSupportedException>(() => turn.HandleAsync((CliControlRequest)CliMessageParser.Parse("""{"type":"control_request","request_id":"x","request":{"subtype":"hook_callback"}}"""), CancellationToken.None));
    }

    [Fact]
    public async Task APermissionRequestWaitsForTheWholeMessageBeforeDeciding()
    {
        var (turn, history) = this.CreateTurn(FunctionChoiceBehavior.Auto(autoInvoke: false));
        this.Feed(turn, CliMessageParser.Parse("""{"type":"stream_event","event":{"type":"message_start","message":{"id":"m1"}},"parent_tool_use_id":null}"""));
        this.Feed(turn, CliMessageParser.Parse("""{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"mcp__kernel__Math-Add","input":{"a":1,"b":2}}]},"parent_tool_use_id":null}"""));
        var decision = turn.HandleAsync((CliControlRequest)CliMessageParser.Parse("""{"type":"control_request","request_id":"p1","request":{"subtype":"can_use_tool","tool_name":"mcp__kernel__Math-Add","input":{"a":1,"b":2},"tool_use_id":"t1"}}"""), CancellationToken.None);

        // The second call of the message is still streaming: no decision yet.
        await Task.Yield();
        Assert.False(decision.IsCompleted);
        this.Feed(turn, CliMessageParser.Parse("""{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t2","name":"mcp__kernel__Math-Add","input":{"a":3,"b":4}}]},"parent_tool_use_id":null}"""));
        this.Feed(turn, CliMessageParser.Parse("""{"type":"stream_event","event":{"type":"message_delta","delta":{"stop_reason":"tool_use"}},"parent_tool_use_id":null}"""));

        var answer = (await decision.WaitAsync(TimeSpan.FromSeconds(5)))!;

        Assert.Equal("deny", answer["behavior"]!.GetValue<string>());
        Assert.True(answer["interrupt"]!.GetValue<bool>());
        Assert.Equal(["t1", "t2"], turn.PendingCalls!.Items.OfType<FunctionCallContent>().Select(c => c.Id!).ToArray());
        Assert.True(turn.EndedByHost);
        Assert.Single(history);
    }

    [Theory]
    [InlineData("auto", null, null)]
    [InlineData("required", "any", null)]
    [InlineData("none", "none", null)]
    [InlineData("auto-serial", "auto", true)]
    public void ToolChoiceFollowsTheBehavior(string behavior, string? type, bool? disableParallel)
    {
        var options = new FunctionChoiceBehaviorOptions { AllowParallelCalls = behavior == "auto-serial" ? false : null };
        var choice = behavior switch
        {
            "required" => FunctionChoiceBehavior.Required(options: options),
            "none" => FunctionChoiceBehavior.None(options: options),
            _ => FunctionChoiceBehavior.Auto(options: options),
        };
        var (turn, _) = this.CreateTurn(choice);

        var toolChoice = turn.Plan.ToolChoice();

        Assert.Equal(type, toolChoice?["type"]?.GetValue<string>());
        Assert.Equal(disableParallel, toolChoice?["disable_parallel_tool_use"]?.GetValue<bool>());
    }

    [Theory]
    [InlineData(ClaudeCodeUnsupportedParameterPolicy.WarnAndIgnore)]
    [InlineData(ClaudeCodeUnsupportedParameterPolicy.Throw)]
    public void ForcingACallTurnsThinkingOffUnlessThinkingWasAskedFor(ClaudeCodeUnsupportedParameterPolicy policy)
    {
        var options = new ClaudeCodeOptions { UnsupportedParameterPolicy = policy };
        var forced = new JsonObject { ["type"] = "any" };
        ChatTurnRequest NewRequest() => new([], new CliInputMessage(false, [new JsonObject { ["type"] = "text", ["text"] = "hi" }]));

        var plain = NewRequest();
        ExecutionSettingsMapper.ApplyToolChoice(forced, new ClaudeCodePromptExecutionSettings(), plain, options, NullLogger.Instance);
        Assert.Equal("disabled", plain.ExtraBody["thinking"]!["type"]!.GetValue<string>());
        Assert.Contains("--thinking=disabled", plain.ExtraArguments);

        var withThinking = NewRequest();
        var settings = new ClaudeCodePromptExecutionSettings { Thinking = ClaudeCodeThinking.Adaptive() };
        if (policy == ClaudeCodeUnsupportedParameterPolicy.Throw)
        {
            var error = Assert.Throws<NotSupportedException>(() => ExecutionSettingsMapper.ApplyToolChoice(forced, settings, withThinking, options, NullLogger.Instance));
            Assert.Contains("'tool_choice'", error.Message, StringComparison.Ordinal);
        }
        else
        {
            ExecutionSettingsMapper.ApplyToolChoice(forced, settings, withThinking, options, NullLogger.Instance);
            Assert.Null(withThinking.ExtraBody["tool_choice"]);
        }
    }

    [Fact]
    public void NoFunctionsMeansNoPlan()
    {
        var history = new ChatHistory();
        history.AddUserMessage("hi");

        Assert.Null(FunctionCallingPlan.Create(new ClaudeCodePromptExecutionSettings(), history, new Kernel(), 0));
        Assert.Null(FunctionCallingPlan.Create(new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, history, new Kernel(), 0));
    }

    [Fact]
    public void LongToolNamesAreShortenedStablyAndStillUnique()
    {
        var first = ToolNaming.ModelToolName(new string('P', 40), new string('F', 40));
        var again = ToolNaming.ModelToolName(new string('P', 40), new string('F', 40));
        var other = ToolNaming.ModelToolName(new string('P', 40), new string('F', 39) + "G");

        Assert.Equal(ToolNaming.MaxModelToolNameLength, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void FunctionsThatCollideAfterShorteningAreRefused()
    {
        var function = KernelFunctionFactory.CreateFromMethod(() => 1, "Same");
        var catalog = ToolCatalog.FromKernelFunctions([function, function]);
        Assert.False(catalog.IsEmpty);

        var clash = KernelFunctionFactory.CreateFromMethod(() => 2, "Same");
        Assert.Throws<ArgumentException>(() => ToolCatalog.FromKernelFunctions([function, clash]));
    }

    [Fact]
    public void SkToolMessagesReplayTheResultOnce()
    {
        var history = new ChatHistory();
        history.AddUserMessage("q");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("Add", "Math", "c1")]));
        var tool = new ChatMessageContent(AuthorRole.Tool, "3");
        tool.Items.Add(new FunctionResultContent("Add", "Math", "c1", "3"));
        history.Add(tool);

        var (_, _, prompt) = ChatHistoryConverter.Convert(history);

        var block = Assert.Single(prompt.Content)!;
        Assert.Equal("tool_result", block["type"]!.GetValue<string>());
    }
}
