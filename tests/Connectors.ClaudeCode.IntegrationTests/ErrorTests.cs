// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.IntegrationTests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(529, "overloaded_error")]
    public async Task ApiErrorsSurfaceAsTypedExceptionsWithTheStatusAsync(int status, string type)
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ =>
        {
            var response = FakeResponse.Error(status, type, $"scripted {status}");
            response.Headers["request-id"] = $"req_scripted_{status}";
            return response;
        };
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAnyAsync<ClaudeCodeApiException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal($"req_scripted_{status}", error.RequestId);
        Assert.IsAssignableFrom<HttpOperationException>(error);
        Assert.NotNull(error.ResultJson);
        Assert.Contains("\"is_error\":true", error.ResultJson, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        if (status == 429)
        {
            Assert.IsType<ClaudeCodeRateLimitException>(error);
        }

        Assert.NotEmpty(env.Api.MessageRequests);
    }

    [Fact]
    public async Task AMalformedApiResponseSurfacesAsAnApiErrorWithoutStatusAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => new FakeResponse { Malformed = true };
        var service = env.CreateService();
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeApiException>(() => service.GetChatMessageContentAsync(history));

        Assert.Null(error.StatusCode);
        Assert.Contains("API Error", error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON", error.Message, StringComparison.OrdinalIgnoreCase);

        // The CLI retried once without streaming, and that answer was broken too.
        Assert.Contains(env.Api.MessageRequests, r => r.Stream);
        Assert.Contains(env.Api.MessageRequests, r => !r.Stream);
    }

    [Fact]
    public async Task AnUnknownModelSurfacesTheApis404Async()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = r => r.Model == "claude-does-not-exist"
            ? FakeResponse.Error(404, "not_found_error", "model: claude-does-not-exist")
            : FakeResponse.Text("ok");
        var service = env.CreateService(modelId: "claude-does-not-exist");
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeApiException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("claude-does-not-exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentialsGiveANotLoggedInErrorThatSaysHowToLogInAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, env.CreateOptions(apiKey: null)));
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeNotLoggedInException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("/login", error.Message, StringComparison.Ordinal);
        Assert.Contains("CLAUDE_CODE_OAUTH_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.Requests);
    }

    [Fact]
    public async Task AMissingCliPathGivesANotFoundErrorThatSaysHowToInstallAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var missing = Path.Combine(env.Root, "no-such-claude");
        var service = env.CreateService(configure: o => o.CliPath = missing);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeCliNotFoundException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("npm install -g @anthropic-ai/claude-code", error.Message, StringComparison.Ordinal);
        Assert.Equal(missing, error.CliPath);
    }

    [Fact]
    public async Task AProgramThatIsNotTheCliGivesAnErrorNamingItsPathAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var script = FakeCliScripts.Write(env.Root, "not-claude", "echo 'usage: not-claude [options]'\nexit 2\n");
        var service = env.CreateService(configure: o => o.CliPath = script);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeProcessException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains(script, error.Message, StringComparison.Ordinal);
        Assert.Contains("usage: not-claude", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public async Task MalformedCliOutputGivesAProtocolErrorWithTheLineAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var script = FakeCliScripts.Write(env.Root, "broken-claude", "read line\necho '{\"type\":\"control_response\", broken'\nsleep 30\n");
        var service = env.CreateService(configure: o => o.CliPath = script);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeProtocolException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("broken", error.OffendingLine, StringComparison.Ordinal);
        Assert.Contains(script, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProcessThatDiesMidTurnGivesAProcessErrorWithItsExitCodeAndStderrAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();

        // Answers initialize like the CLI, starts the turn, then dies.
        var script = FakeCliScripts.Write(env.Root, "dying-claude", """
            read init
            id=$(printf '%s' "$init" | sed -E 's/.*"request_id":"([^"]+)".*/\1/')
            printf '{"type":"control_response","response":{"subtype":"success","request_id":"%s","response":{"claude_code_version":"2.1.328","account":{"apiKeySource":"ANTHROPIC_API_KEY","apiProvider":"firstParty"}}}}\n' "$id"
            read prompt
            echo '{"type":"system","subtype":"init","session_id":"s1"}'
            echo '{"type":"stream_event","event":{"type":"message_start","message":{"model":"m"}},"session_id":"s1","parent_tool_use_id":null}'
            echo '{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half an ans"}},"session_id":"s1","parent_tool_use_id":null}'
            echo 'fatal: segmentation fault in the engine' >&2
            exit 139
            """);
        var service = env.CreateService(configure: o => o.CliPath = script);
        var history = new ChatHistory();
        history.AddUserMessage("Hello");

        var error = await Assert.ThrowsAsync<ClaudeCodeProcessException>(() => service.GetChatMessageContentAsync(history));

        Assert.Equal(139, error.ExitCode);
        Assert.Equal("Half an ans", error.TextSoFar);
        Assert.Contains("segmentation fault", error.StderrTail, StringComparison.Ordinal);
        Assert.Contains("segmentation fault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANulInTheSystemPromptIsRefusedBeforeAnythingIsSentAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService();
        var history = new ChatHistory("before\0after");
        history.AddUserMessage("hi");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentAsync(history));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Empty(env.Api.MessageRequests);
    }

    [Fact]
    public async Task RetriesAreWarnedAboutAndTheAnnouncedDelayAndRequestIdReachTheExceptionAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = _ => new FakeResponse
        {
            ErrorStatus = 429,
            ErrorType = "rate_limit_error",
            ErrorMessage = "slow down",
            Headers = { ["retry-after"] = "1", ["request-id"] = "req_test_429" },
        };
        using var logs = new ListLoggerProvider();
        var options = env.CreateOptions();
        options.MaxRetries = 1;
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options, logs.CreateFactory()));

        var error = await Assert.ThrowsAsync<ClaudeCodeRateLimitException>(
            () => service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") }));

        Assert.Equal(2, env.Api.MessageRequests.Count);
        Assert.Equal(1, error.Retries);
        // The CLI waits what retry-after says, plus a little jitter (observed: 1 s -> 1.0-1.3 s, 3 s -> 3.1 s).
        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.NotNull(error.ResetsAt);
        Assert.Equal("req_test_429", error.RequestId);
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning:", StringComparison.Ordinal) && m.Contains("429", StringComparison.Ordinal) && m.Contains("retries it in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACallThatSucceedsAfterARetrySaysSoInItsMetadataAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Enqueue(new FakeResponse { ErrorStatus = 500, ErrorType = "api_error", ErrorMessage = "blip", Headers = { ["retry-after"] = "0" } });
        var options = env.CreateOptions();
        options.MaxRetries = 1;
        var service = env.Own(new ClaudeCodeChatCompletionService(CliTestEnvironment.TestModel, options));

        var answer = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") });

        Assert.Equal("ECHO: hi", answer.Content);
        Assert.Equal(1, answer.Metadata![ClaudeCodeMetadataKeys.ApiRetries]);
        Assert.Equal(2, env.Api.MessageRequests.Count);
    }

    [Fact]
    public async Task ARefusalIsAContentFilterFinishNotAnErrorAndAnEmptyAnswerIsEmptyAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        env.Api.Responder = request => request.LastUserText switch
        {
            "something bad" => new FakeResponse { Blocks = { FakeBlock.TextBlock("I can't help with that.") }, StopReason = "refusal" },
            "say nothing" => new FakeResponse(),

            // The CLI's own nudge after a refusal, should it get out before the connector stops the turn.
            _ => new FakeResponse { Blocks = { FakeBlock.TextBlock("a continuation nobody asked for") }, DelayBeforeResponse = TimeSpan.FromSeconds(30) },
        };
        var service = env.CreateService();

        var refusal = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "something bad") });
        var empty = await service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "say nothing") });

        Assert.Equal("I can't help with that.", refusal.Content);
        Assert.Equal("content_filter", refusal.Metadata![ClaudeCodeMetadataKeys.FinishReason]);
        Assert.Equal("refusal", refusal.Metadata[ClaudeCodeMetadataKeys.StopReason]);
        Assert.True(string.IsNullOrEmpty(empty.Content), string.Join(" || ", env.Api.MessageRequests.Select(r => r.LastUserText)) + " => " + empty.Content);
        Assert.Equal("stop", empty.Metadata![ClaudeCodeMetadataKeys.FinishReason]);
    }

    [Fact]
    public async Task OutputThatEndsInTheMiddleOfAFrameGivesATypedErrorAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var script = FakeCliScripts.Write(env.Root, "cut-claude", "read init\nprintf '{\"type\":\"control_response\",\"response\":{\"subtype\":\"succ'\nexit 1\n");
        var service = env.CreateService(configure: o =>
        {
            o.CliPath = script;
            o.WarmProcesses = 0;
        });

        var error = await Assert.ThrowsAnyAsync<ClaudeCodeException>(
            () => service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") }));

        Assert.True(error is ClaudeCodeProtocolException or ClaudeCodeProcessException, error.GetType().Name);
        Assert.Contains(script, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedConnectionIsATypedApiErrorWithoutStatusAsync()
    {
        await using var env = await CliTestEnvironment.StartAsync();
        var service = env.CreateService(configure: o => o.EnvironmentVariables["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9");

        var error = await Assert.ThrowsAsync<ClaudeCodeApiException>(
            () => service.GetChatMessageContentAsync(new ChatHistory { new ChatMessageContent(AuthorRole.User, "hi") }));

        Assert.Null(error.StatusCode);
        Assert.Contains("onnect", error.Message, StringComparison.Ordinal);
    }
}
