// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>Turns one stdout line into a typed <see cref="CliMessage"/>.</summary>
internal static class CliMessageParser
{
    /// <summary>Parses a JSON line. Throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static CliMessage Parse(string line)
    {
        var raw = JsonSerializer.Deserialize<JsonElement>(line);
        if (raw.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A stream-json line must be a JSON object.");
        }

        var type = raw.GetStringOrNull("type") ?? string.Empty;
        return type switch
        {
            "assistant" => new CliAssistantMessage(raw),
            "user" => new CliUserMessage(raw),
            "stream_event" => new CliStreamEvent(raw),
            "result" => new CliResultMessage(raw),
            "control_request" => new CliControlRequest(raw),
            "control_response" => new CliControlResponse(raw),
            "rate_limit_event" => new CliRateLimitEvent(raw),
            "system" when raw.GetStringOrNull("subtype") == "api_retry" => new CliApiRetry(raw),
            _ => new CliMessage(type, raw),
        };
    }
}
