// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Globalization;
using System.Linq;
using System.Net;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Turns transport failures and error results into the connector's public exceptions.</summary>
internal static class ErrorMapper
{
    public const string LoginAdvice =
        "Log in by running 'claude' once and using /login, or set CLAUDE_CODE_OAUTH_TOKEN (from 'claude setup-token') or ANTHROPIC_API_KEY for the process.";

    public const string BareLoginAdvice =
        "The CLI runs in bare mode (ClaudeCodeOptions.BareMode), which needs an API key: set ANTHROPIC_API_KEY, an apiKeyHelper or a cloud provider, "
        + "or set ClaudeCodeOptions.BareMode to Auto or Never to use a subscription login (CLAUDE_CODE_OAUTH_TOKEN or /login).";

    /// <summary>What to tell a user whose CLI has no usable login.</summary>
    public static string AdviceForLogin(bool bare) => bare ? BareLoginAdvice : LoginAdvice;

    /// <summary>Maps a transport failure.</summary>
    public static Exception FromCliException(CliException exception)
        => exception switch
        {
            CliNotFoundException notFound => new ClaudeCodeCliNotFoundException(notFound.Message, notFound) { CliPath = notFound.AttemptedPath },
            CliProtocolException protocol => new ClaudeCodeProtocolException(protocol.Message, protocol) { OffendingLine = protocol.OffendingLine, StderrTail = protocol.StderrTail },
            CliProcessExitedException exited => new ClaudeCodeProcessException(exited.Message, exited) { ExitCode = exited.ExitCode, StderrTail = exited.StderrTail },
            _ => new ClaudeCodeException(exception.Message, exception) { StderrTail = exception.StderrTail },
        };

    /// <summary>Maps an <c>is_error</c> result, using the synthetic assistant message the CLI wrote before it for detail.</summary>
    public static Exception FromErrorResult(CliResultMessage result, CliAssistantMessage? synthetic, CliRateLimitEvent? rateLimit, string stderrTail, bool bare = false, int retries = 0, TimeSpan? lastRetryDelay = null)
    {
        var status = result.ApiErrorStatus ?? synthetic?.ApiErrorStatus;
        var text = DescribeError(result, synthetic);
        var resultJson = result.Raw.GetRawText();

        if (status is null && (synthetic?.Error == "authentication_failed" || text.Contains("Not logged in", StringComparison.OrdinalIgnoreCase)))
        {
            return new ClaudeCodeNotLoggedInException($"Claude Code is not logged in ({text}). {AdviceForLogin(bare)}")
            {
                ResultJson = resultJson,
                StderrTail = stderrTail,
            };
        }

        if (status is not null || result.TerminalReason is "api_error" or "image_error")
        {
            var httpStatus = status is { } code ? (HttpStatusCode?)code : null;
            var message = status is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"The Messages API answered {s}: {text}")
                : $"The Messages API call failed: {text}";
            if (status == 429)
            {
                return new ClaudeCodeRateLimitException(httpStatus, text, message)
                {
                    ErrorKind = synthetic?.Error,
                    ApiErrorType = synthetic?.ApiErrorType,
                    RequestId = synthetic?.RequestId,
                    ResultJson = resultJson,
                    StderrTail = stderrTail,
                    ResetsAt = rateLimit?.ResetsAt ?? (lastRetryDelay is { } delay ? DateTimeOffset.UtcNow + delay : null),
                    Retries = retries,
                    RetryAfter = lastRetryDelay,
                };
            }

            return new ClaudeCodeApiException(httpStatus, text, message)
            {
                ErrorKind = synthetic?.Error,
                ApiErrorType = synthetic?.ApiErrorType,
                RequestId = synthetic?.RequestId,
                ResultJson = resultJson,
                StderrTail = stderrTail,
                Retries = retries,
                RetryAfter = lastRetryDelay,
            };
        }

        return new ClaudeCodeTurnException($"Claude Code ended the turn with an error ({result.Subtype}, {result.TerminalReason ?? "no terminal reason"}): {text}")
        {
            Subtype = result.Subtype,
            TerminalReason = result.TerminalReason,
            ResultJson = resultJson,
            StderrTail = stderrTail,
        };
    }

    private static string DescribeError(CliResultMessage result, CliAssistantMessage? synthetic)
    {
        var errors = result.Errors;
        if (errors.Count > 0)
        {
            return string.Join("; ", errors);
        }

        if (!string.IsNullOrEmpty(result.Result))
        {
            return result.Result!;
        }

        if (synthetic?.Blocks.OfType<CliTextBlock>().FirstOrDefault(b => b.Text.Length > 0) is { } text)
        {
            return text.Text;
        }

        return result.Subtype ?? "unknown error";
    }
}
