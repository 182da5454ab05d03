// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.Bench;

/// <summary>
/// The tool workload: the fake API asks for a "lookup" tool three times, one round after another, then answers; the
/// connector runs a kernel function through SK's auto-invocation, the TypeScript side an SDK MCP tool.
/// </summary>
internal static class BenchTool
{
    public const int Rounds = 3;

    private static readonly Kernel s_kernel = CreateKernel();

    /// <summary>The fake's answer while a request offers the lookup tool and has fewer than three results; else null.</summary>
    public static FakeResponse? Respond(RecordedRequest request)
    {
        var lookup = request.ToolNames.FirstOrDefault(name => name.EndsWith("lookup", StringComparison.OrdinalIgnoreCase));
        if (lookup is null)
        {
            return null;
        }

        var results = request.Messages
            .SelectMany(m => m["content"] as JsonArray ?? [])
            .Count(block => block?["type"]?.GetValue<string>() == "tool_result");
        return results < Rounds
            ? FakeResponse.ToolCalls(null, ($"toolu_bench_{results}", lookup, $"{{\"key\":\"k{results}\"}}"))
            : new FakeResponse { Blocks = { FakeBlock.TextBlock($"Looked up {results} keys.") }, ChunkSize = 8 };
    }

    /// <summary>One new conversation through the three rounds, streamed; timed to its end and to its first text.</summary>
    public static async Task<Timing> CallAsync(ClaudeCodeChatCompletionService service, string prompt)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var clock = Stopwatch.StartNew();
        double? firstToken = null;
        var text = string.Empty;
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, settings, s_kernel))
        {
            if (!string.IsNullOrEmpty(chunk.Content))
            {
                firstToken ??= clock.Elapsed.TotalMilliseconds;
                text += chunk.Content;
            }
        }

        var total = clock.Elapsed.TotalMilliseconds;
        if (text != $"Looked up {Rounds} keys.")
        {
            throw new InvalidOperationException($"The tool workload ended with '{text}' instead of the answer after {Rounds} rounds.");
        }

        return new Timing(total, firstToken ?? double.NaN);
    }

    private static Kernel CreateKernel()
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Bench", [KernelFunctionFactory.CreateFromMethod((string key) => $"value of {key}", "Lookup", "Looks up the value stored under a key")]);
        return kernel;
    }
}
