// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>What reaches the Messages API is the caller's conversation, not Claude Code's agent context.</summary>
public sealed class RequestHygieneTests
{
    private const string FakeOAuthToken = "sk-ant-oat01-fake-token-for-tests";

    /// <summary>The connector's defaults (no working directory named), with an API key or a subscription-style token.</summary>
    private static ClaudeCodeChatCompletionService CreateService(CliTestEnvironment env, bool subscriptionLogin, Action<ClaudeCodeOptions>? configure = null)
    {
        var options = env.CreateOptions(apiKey: subscriptionLogin ? null : "sk-ant-test");
        options.WorkingDirectory = null;
        if (subscriptionLogin)
        {
            options.EnvironmentVariables["CLAUDE_CODE_OAUTH_TOKEN"] = FakeOAuthToken;
        }

        configure?.Invoke(options);
        return new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options);
    }

    private static string[] SystemTexts(RecordedRequest request)
        => (request.Body!["system"] as JsonArray ?? []).OfType<JsonObject>().Select(b => b["text"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task WithAnApiKeyAPlainTurnHoldsExactlyTheCallersMessagesAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var service = CreateService(env, subscriptionLogin: false);
        var history = new ChatHistory("You answer in one word.");
        history.AddUserMessage("Capital of France?");
        history.AddAssistantMessage("Paris.");
        history.AddUserMessage("And of Italy?");

        var answer = await service.GetChatMessageContentAsync(history);

        Assert.Equal("ECHO: And of Italy?", answer.Content);
        var request = Assert.Single(env.Api.MessageRequests);
        var messages = (request.Body!["messages"] as JsonArray)!.OfType<JsonObject>().ToList();
        var turns = messages.Select(m => (m["role"]!.GetValue<string>(), Blocks(m))).ToArray();
        Assert.Equal(
            [("user", "Capital of France?"), ("assistant", "Paris."), ("user", "And of Italy?")],
            turns);
        Assert.DoesNotContain("<system-reminder>", request.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("total_tokens", request.BodyText, StringComparison.Ordinal);
        Assert.Equal("You answer in one word.", SystemTexts(request)[^1]);
        Assert.Equal("disabled", request.Body["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal("x-api-key", request.Headers.ContainsKey("x-api-key") ? "x-api-key" : "missing");

        // Each message is exactly one text block: nothing was added beside the caller's text.
        static string Blocks(JsonObject message)
            => message["content"] is JsonArray blocks
                ? string.Join("|", blocks.OfType<JsonObject>().Select(b => b["type"]!.GetValue<string>() == "text" ? b["text"]!.GetValue<string>() : "<" + b["type"] + ">"))
                : message["content"]!.GetValue<string>();
    }

    [Fact]
    public async Task WithASubscriptionLoginNothingOfTheAppsDirectoryAndNoTokenCountersReachTheApiAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var service = CreateService(env, subscriptionLogin: true);
        var history = new ChatHistory("Be brief.");
        history.AddUserMessage("Hello");
        history.AddAssistantMessage("Hi.");
        history.AddUserMessage("Bye");

        await service.GetChatMessageContentAsync(history);

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.StartsWith("Bearer " + FakeOAuthToken, request.Headers["authorization"], StringComparison.Ordinal);
        Assert.DoesNotContain("total_tokens", request.BodyText, StringComparison.Ordinal);
        Assert.Equal("disabled", request.Body!["thinking"]!["type"]!.GetValue<string>());

        // The test host runs from its build output inside the repository: neither path nor repository shows.
        var appDirectory = Environment.CurrentDirectory.TrimEnd(Path.DirectorySeparatorChar);
        Assert.DoesNotContain(appDirectory, request.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Connectors.ClaudeCode.IntegrationTests", request.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Is a git repository: true", request.BodyText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            [("user", "Hello"), ("assistant", "Hi."), ("user", "Bye")],
            request.Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray());
    }

    [Fact]
    public async Task TheScratchDirectoryIsEmptyDuringCallsAndRemovedOnDisposeAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = CreateService(env, subscriptionLogin: true);
        var before = Directory.GetDirectories(Path.GetTempPath(), "claude-code-*").ToHashSet();

        await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") });

        var created = Assert.Single(Directory.GetDirectories(Path.GetTempPath(), "claude-code-*"), d => !before.Contains(d) && env.Api.MessageRequests[0].BodyText.Contains(d, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(created));
        await service.DisposeAsync();
        Assert.False(Directory.Exists(created));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFunctionResultReachesTheApiExactlyAsReturnedAsync(bool subscriptionLogin)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastToolResults.Count == 0
            ? FakeResponse.ToolCalls(null, ("toolu_h", "mcp__kernel__Clock-Now", "{}"))
            : FakeResponse.Text("done");
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("Clock", [KernelFunctionFactory.CreateFromMethod(() => "It is 12:00 in Zurich.", "Now")]);
        await using var service = CreateService(env, subscriptionLogin);

        var answer = await service.GetChatMessageContentAsync(
            new ChatHistory { new ChatMessageContent(AuthorRole.User, "Time?") },
            new ClaudeCodePromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel);

        Assert.Equal("done", answer.Content);
        var followUp = env.Api.MessageRequests[^1];
        var result = Assert.Single(followUp.LastToolResults);
        var content = result["content"];
        var text = content is JsonArray blocks ? Assert.Single(blocks.OfType<JsonObject>())["text"]!.GetValue<string>() : content!.GetValue<string>();
        Assert.Equal("It is 12:00 in Zurich.", text);
        Assert.DoesNotContain("total_tokens", followUp.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessagesThatLookLikeCliCommandsOrFileMentionsReachTheApiAsWrittenAsync(bool subscriptionLogin)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var secret = Path.Combine(env.WorkingDirectory, "secret.txt");
        await File.WriteAllTextAsync(secret, "NOT-FOR-THE-MODEL");
        await using var service = CreateService(env, subscriptionLogin);

        // Replayed into a new process: the CLI ran "/cost" and "/clear" in a replayed history as its own commands.
        var history = new ChatHistory();
        history.AddUserMessage("/cost");
        history.AddAssistantMessage("No cost yet.");
        history.AddUserMessage("/clear");
        history.AddAssistantMessage("Nothing to clear.");
        history.AddUserMessage($"@{secret} what is in it?");
        var answer = await service.GetChatMessageContentAsync(history);
        history.Add(answer);

        // Continued in the live session: "/cost" was answered with the CLI's cost report and no request at all.
        history.AddUserMessage("/cost");
        var second = await service.GetChatMessageContentAsync(history);

        Assert.Equal($"ECHO: @{secret} what is in it?", answer.Content);
        Assert.Equal("ECHO: /cost", second.Content);
        Assert.Equal(2, env.Api.MessageRequests.Count);
        var last = env.Api.MessageRequests[^1];
        Assert.Equal(
            [("user", "/cost"), ("assistant", "No cost yet."), ("user", "/clear"), ("assistant", "Nothing to clear."), ("user", $"@{secret} what is in it?"), ("assistant", answer.Content!), ("user", "/cost")],
            last.Messages.Select(m => (m["role"]!.GetValue<string>(), RecordedRequest.TextOf(m))).ToArray());
        Assert.All(env.Api.MessageRequests, r => Assert.DoesNotContain("NOT-FOR-THE-MODEL", r.BodyText, StringComparison.Ordinal));
        Assert.All(env.Api.MessageRequests, r => Assert.DoesNotContain("local-command", r.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThinkingIsSentWhenAskedForAndComesBackAsReasoningAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(FakeResponse.ThinkingThenText("Weighing it up.", "Yes."));
        await using var service = CreateService(env, subscriptionLogin: false);

        var answer = await service.GetChatMessageContentAsync(
            new ChatHistory { new ChatMessageContent(AuthorRole.User, "Sure?") },
            new ClaudeCodePromptExecutionSettings { Thinking = ClaudeCodeThinking.Enabled(2048), MaxTokens = 4000 });

        var thinking = Assert.Single(env.Api.MessageRequests).Body!["thinking"]!;
        Assert.Equal(("enabled", 2048), (thinking["type"]!.GetValue<string>(), thinking["budget_tokens"]!.GetValue<int>()));
        Assert.Equal("Yes.", answer.Content);
        Assert.Equal("Weighing it up.", Assert.Single(answer.Items.OfType<ReasoningContent>()).Text);
    }

    [Fact]
    public async Task ClaudeCodesOwnBehaviourCanBeRestoredAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var service = CreateService(env, subscriptionLogin: false, o =>
        {
            o.BareMode = ClaudeCodeBareMode.Never;
            o.IncludeTokenBudgetReminders = true;
            o.TreatMessagesAsTypedInput = true;
            o.DisableThinkingByDefault = false;
            o.WorkingDirectory = env.WorkingDirectory;
        });

        await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") });

        var request = Assert.Single(env.Api.MessageRequests);
        Assert.Contains("<system-reminder>", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("total_tokens", request.BodyText, StringComparison.Ordinal);
        Assert.Contains(env.WorkingDirectory, request.BodyText, StringComparison.Ordinal);
        Assert.NotEqual("disabled", request.Body!["thinking"]?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task ForcedBareModeWithASubscriptionLoginFailsWithAClearNotLoggedInErrorAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        await using var service = CreateService(env, subscriptionLogin: true, o => o.BareMode = ClaudeCodeBareMode.Always);

        var error = await Assert.ThrowsAsync<ClaudeCodeNotLoggedInException>(
            () => service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") }));

        Assert.Contains("ClaudeCodeOptions.BareMode", error.Message, StringComparison.Ordinal);
        Assert.Contains("API key", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.MessageRequests);
    }
}
