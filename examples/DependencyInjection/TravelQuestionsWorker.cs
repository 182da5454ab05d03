// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.Examples.DependencyInjection;

/// <summary>
/// The app's work: two questions to Claude, one as a prompt through the kernel and one straight to the chat service,
/// both resolved from the host's container. It stops the host when done, so the console app exits.
/// </summary>
internal sealed partial class TravelQuestionsWorker(
    Kernel kernel,
    IChatCompletionService chat,
    ILogger<TravelQuestionsWorker> logger,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A prompt function: the kernel finds the registered IChatCompletionService and calls it.
            var haiku = await kernel.InvokePromptAsync(
                "Write a haiku about {{$city}} in spring.",
                new KernelArguments { ["city"] = "Lisbon" },
                cancellationToken: stoppingToken);
            Console.WriteLine($"[prompt answer] {haiku}");

            // The same service, used directly, with its metadata.
            var history = new ChatHistory("You are a concise travel assistant.");
            history.AddUserMessage("Name one dish I must try in Lisbon, in one sentence.");
            var answer = await chat.GetChatMessageContentAsync(history, cancellationToken: stoppingToken);
            Console.WriteLine($"[chat answer] {answer.Content}");
            LogCost(logger, answer.Metadata?[ClaudeCodeMetadataKeys.CostUsd] as double?, answer.Metadata?[ClaudeCodeMetadataKeys.FinishReason] as string);
        }
        catch (Exception ex) when (ex is ClaudeCodeException or ClaudeCodeApiException)
        {
            LogFailure(logger, ex);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The chat call cost ${CostUsd:0.######} and ended with finish reason {FinishReason}.")]
    private static partial void LogCost(ILogger logger, double? costUsd, string? finishReason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claude could not answer.")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
