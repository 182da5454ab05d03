// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// QuickStart: Claude through the Claude Code CLI as a Semantic Kernel chat completion service.
//
//   ./build.sh example              uses your Claude Code login when there is one, else runs offline
//   ./build.sh example --offline    always runs against the bundled fake Messages API
//   ./build.sh example --model opus picks a model for the logged-in run

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using UsageDetails = Microsoft.Extensions.AI.UsageDetails;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

var forceOffline = args.Contains("--offline");
var modelArgument = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault();

FakeMessagesApi? fake = null;
string? offlineHome = null;
if (!forceOffline && await HasClaudeCodeLoginAsync(modelArgument))
{
    Console.WriteLine("Mode: live, using your Claude Code login.");
}
else
{
    fake = await FakeMessagesApi.StartAsync();
    fake.Responder = request =>
    {
        if (request.ToolNames.Contains("mcp__kernel__Clock-Now"))
        {
            return request.LastToolResults.Count == 0
                ? FakeResponse.ToolCalls("Let me look at the clock.", ("toolu_offline_1", "mcp__kernel__Clock-Now", "{}"))
                : FakeResponse.Text("The clock says " + RecordedRequest.ResultText(request.LastToolResults[0]) + ".");
        }

        return request.LastUserText.Contains("haiku", StringComparison.OrdinalIgnoreCase)
            ? FakeResponse.ThinkingThenText("A haiku has three lines of five, seven and five syllables.", "Pipes carry the words,\nClaude answers through the CLI,\nthe kernel listens.")
            : FakeResponse.Text("Offline answer to: " + request.LastUserText);
    };
    offlineHome = Directory.CreateTempSubdirectory("claude-quickstart-").FullName;
    Console.WriteLine(forceOffline
        ? $"Mode: offline (--offline), against the bundled fake Messages API at {fake.BaseUrl}."
        : $"Mode: offline. No Claude Code login was found, so this runs against the bundled fake Messages API at {fake.BaseUrl}. Log in with 'claude' (/login) to talk to Claude.");
}

try
{
    var kernel = Kernel.CreateBuilder()
        .AddClaudeCodeChatCompletion(fake is null ? modelArgument : "claude-sonnet-4-5", options =>
        {
            if (fake is not null)
            {
                ConfigureOffline(options, fake, offlineHome!);
            }
        })
        .Build();
    var chat = kernel.GetRequiredService<IChatCompletionService>();

    // 1. A whole answer, with the metadata SK users look for.
    var history = new ChatHistory("You are a concise assistant. Answer in at most three short lines.");
    history.AddUserMessage("Write a haiku about a .NET app talking to Claude through a command-line tool.");
    var answer = await chat.GetChatMessageContentAsync(history);
    Console.WriteLine();
    foreach (var thinking in answer.Items.OfType<ReasoningContent>())
    {
        Console.WriteLine($"[thinking] {thinking.Text}");
    }

    Console.WriteLine(answer.Content);
    var usage = (UsageDetails?)answer.Metadata?[ClaudeCodeMetadataKeys.Usage];
    Console.WriteLine($"-- model {answer.ModelId}, {usage?.InputTokenCount} input / {usage?.OutputTokenCount} output tokens, " +
        $"cost ${answer.Metadata?[ClaudeCodeMetadataKeys.CostUsd]:0.######}, finish reason {answer.Metadata?[ClaudeCodeMetadataKeys.FinishReason]}");
    history.Add(answer);

    // 2. A follow-up, streamed token by token; the whole history reaches Claude as separate turns.
    history.AddUserMessage("Now explain your poem in one sentence.");
    Console.WriteLine();
    StreamingChatMessageContent? last = null;
    await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history))
    {
        Console.Write(chunk.Content);
        last = chunk;
    }

    Console.WriteLine();
    var streamedUsage = (UsageDetails?)last?.Metadata?[ClaudeCodeMetadataKeys.Usage];
    Console.WriteLine($"-- streamed; last chunk carries usage: {streamedUsage?.InputTokenCount} input / {streamedUsage?.OutputTokenCount} output tokens, session {last?.Metadata?[ClaudeCodeMetadataKeys.SessionId]}");

    // 3. A kernel function as a Claude tool, invoked automatically inside the turn.
    kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => DateTime.UtcNow.ToString("HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture), "Now", "Gets the current time in UTC")]);
    var toolHistory = new ChatHistory();
    toolHistory.AddUserMessage("What time is it in UTC? Use the clock tool.");
    var settings = new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    var timeAnswer = await chat.GetChatMessageContentAsync(toolHistory, settings, kernel);
    Console.WriteLine();
    foreach (var message in toolHistory.Skip(1))
    {
        foreach (var call in message.Items.OfType<FunctionCallContent>())
        {
            Console.WriteLine($"[function call] {call.PluginName}.{call.FunctionName} ({call.Id})");
        }

        foreach (var result in message.Items.OfType<FunctionResultContent>())
        {
            Console.WriteLine($"[function result] {result.Result}");
        }
    }

    Console.WriteLine(timeAnswer.Content);
    return 0;
}
catch (ClaudeCodeException ex)
{
    Console.Error.WriteLine($"Claude Code failed: {ex.Message}");
    return 1;
}
catch (ClaudeCodeApiException ex)
{
    Console.Error.WriteLine($"The Messages API failed ({ex.StatusCode}): {ex.Message}");
    return 1;
}
finally
{
    if (fake is not null)
    {
        await fake.DisposeAsync();
    }

    if (offlineHome is not null)
    {
        Directory.Delete(offlineHome, recursive: true);
    }
}

// Asks the CLI itself (it knows the user's login; the connector never reads credential files).
static async Task<bool> HasClaudeCodeLoginAsync(string? model)
{
    var probe = new ClaudeCodeChatCompletionService(model);
    var history = new ChatHistory();
    history.AddUserMessage("Reply with the single word: ready");
    try
    {
        await probe.GetChatMessageContentAsync(history);
        return true;
    }
    catch (ClaudeCodeNotLoggedInException)
    {
        return false;
    }
    catch (ClaudeCodeApiException ex)
    {
        Console.Error.WriteLine($"Claude Code is set up but the API call failed ({ex.Message}); falling back to offline mode.");
        return false;
    }
    catch (ClaudeCodeException ex)
    {
        Console.Error.WriteLine($"Claude Code could not run ({ex.Message}); falling back to offline mode.");
        return false;
    }
}

static void ConfigureOffline(ClaudeCodeOptions options, FakeMessagesApi fake, string home)
{
    options.MaxRetries = 0;
    options.EnvironmentVariables["ANTHROPIC_BASE_URL"] = fake.BaseUrl.ToString().TrimEnd('/');
    options.EnvironmentVariables["ANTHROPIC_API_KEY"] = "sk-ant-offline-example";
    options.EnvironmentVariables["HOME"] = home;
    options.EnvironmentVariables["CLAUDE_CONFIG_DIR"] = Path.Combine(home, ".claude");
    options.EnvironmentVariables["ANTHROPIC_AUTH_TOKEN"] = null;
    options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = null;
}
