// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.Examples;

/// <summary>Tells whether the Claude Code CLI can talk to Claude on this machine.</summary>
internal static class ClaudeCodeLoginProbe
{
    /// <summary>
    /// Asks the CLI itself with one tiny request: it knows the user's login (the connector never reads credential
    /// files). Any failure counts as "no", with the reason on stderr, so the example can still run offline.
    /// </summary>
    public static async Task<bool> IsLoggedInAsync(string? model)
    {
        // No ready process ahead: the probe makes exactly one call.
        await using var probe = new ClaudeCodeChatCompletionService(model, new ClaudeCodeOptions { WarmProcesses = 0 });
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
}
