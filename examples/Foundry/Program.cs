// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Foundry: Claude on Microsoft Foundry through the Claude Code CLI, authenticated with an Azure TokenCredential.
//
//   dotnet run --project examples/Foundry -- --endpoint https://<resource>.services.ai.azure.com/anthropic --deployment <name>
//       talks to your Foundry deployment with DefaultAzureCredential (az login, managed identity, environment, …)
//   dotnet run --project examples/Foundry -- --offline
//       runs against the bundled fake Messages API standing in for Foundry, with a stand-in credential

using System;
using System.IO;
using System.Linq;
using Azure.Core;
using Azure.Identity;
using Connectors.ClaudeCode.Examples.Foundry;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using UsageDetails = Microsoft.Extensions.AI.UsageDetails;

var endpointArgument = args.SkipWhile(a => a != "--endpoint").Skip(1).FirstOrDefault();
var deploymentArgument = args.SkipWhile(a => a != "--deployment").Skip(1).FirstOrDefault();
var offline = args.Contains("--offline") || endpointArgument is null || deploymentArgument is null;

FakeMessagesApi? fake = null;
string? offlineHome = null;
Uri endpoint;
string deployment;
TokenCredential credential;
OfflineCredential? offlineCredential = null;
if (offline)
{
    // The fake answers as Foundry would, and says what authenticated the request.
    fake = await FakeMessagesApi.StartAsync();
    fake.Responder = request =>
    {
        var bearer = request.Headers.TryGetValue("Authorization", out var value) && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : "(none)";
        return FakeResponse.Text($"Foundry deployment '{request.Model}' answers \"{request.LastUserText}\"; the request carried the bearer token {bearer}.");
    };
    offlineHome = Directory.CreateTempSubdirectory("claude-example-").FullName;
    endpoint = fake.BaseUrl;
    deployment = "claude-sonnet-4-5";
    credential = offlineCredential = new OfflineCredential();
    Console.WriteLine(args.Contains("--offline")
        ? $"Mode: offline (--offline), against the bundled fake Messages API at {fake.BaseUrl}, standing in for Foundry."
        : $"Mode: offline, against the bundled fake Messages API at {fake.BaseUrl}, standing in for Foundry. Pass --endpoint and --deployment to talk to your Foundry resource.");
}
else
{
    endpoint = new Uri(endpointArgument!);
    deployment = deploymentArgument!;
    credential = new DefaultAzureCredential();
    Console.WriteLine($"Mode: live, Foundry endpoint {endpoint}, deployment {deployment}, DefaultAzureCredential.");
}

void ConfigureOffline(ClaudeCodeOptions options)
{
    if (fake is null)
    {
        return;
    }

    // Only the credential's token may authenticate, and nothing of this machine's Claude Code set-up takes part.
    options.MaxRetries = 0;
    var environment = options.EnvironmentVariables;
    environment["HOME"] = offlineHome;
    environment["USERPROFILE"] = offlineHome;
    environment["CLAUDE_CONFIG_DIR"] = Path.Combine(offlineHome!, ".claude");
    environment["ANTHROPIC_API_KEY"] = null;
    environment["ANTHROPIC_AUTH_TOKEN"] = null;
    environment["CLAUDE_CODE_OAUTH_TOKEN"] = null;
    environment["ANTHROPIC_BASE_URL"] = null;
}

try
{
    var kernel = Kernel.CreateBuilder()
        .AddClaudeCodeChatCompletion(deployment, endpoint, credential, ConfigureOffline)
        .Build();
    await using (kernel.Services as IAsyncDisposable)
    {
        var chat = kernel.GetRequiredService<IChatCompletionService>();

        // 1. A conversation of two turns: the token comes from the credential, once, and serves both.
        var history = new ChatHistory("You are a concise assistant.");
        history.AddUserMessage("What is Microsoft Foundry, in one sentence?");
        var answer = await chat.GetChatMessageContentAsync(history);
        history.Add(answer);
        Console.WriteLine();
        Console.WriteLine(answer.Content);
        var usage = (UsageDetails?)answer.Metadata?[ClaudeCodeMetadataKeys.Usage];
        Console.WriteLine($"-- model {answer.ModelId}, {usage?.InputTokenCount} input / {usage?.OutputTokenCount} output tokens");

        history.AddUserMessage("And how does this app authenticate to it?");
        var followUp = await chat.GetChatMessageContentAsync(history);
        Console.WriteLine();
        Console.WriteLine(followUp.Content);
        if (offlineCredential is not null)
        {
            Console.WriteLine($"-- the credential was asked for {offlineCredential.Issued} token(s) for the two turns");
        }
    }

    // 2. A credential that cannot give a token: a typed error, before any CLI process starts.
    if (fake is not null)
    {
        var failing = Kernel.CreateBuilder()
            .AddClaudeCodeChatCompletion(deployment, endpoint, new OfflineCredential(fail: true), ConfigureOffline)
            .Build();
        await using (failing.Services as IAsyncDisposable)
        {
            try
            {
                await failing.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync("Hello?");
            }
            catch (ClaudeCodeAuthenticationException ex)
            {
                Console.WriteLine();
                Console.WriteLine($"[credential failure] {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    return 0;
}
catch (ClaudeCodeException ex)
{
    Console.Error.WriteLine($"Claude Code failed: {ex.Message}");
    return 1;
}
catch (ClaudeCodeApiException ex)
{
    Console.Error.WriteLine($"Foundry failed ({ex.StatusCode}): {ex.Message}");
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
        try
        {
            Directory.Delete(offlineHome, recursive: true);
        }
        catch (IOException)
        {
            // A CLI still writing there as it exits: the temp folder is cleaned up by the system later.
        }
    }
}
