// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>A <c>control_request</c> the CLI sends to the host (<c>can_use_tool</c>, <c>mcp_message</c>, …); it blocks until answered.</summary>
internal sealed class CliControlRequest : CliMessage
{
    public CliControlRequest(JsonElement raw)
        : base("control_request", raw)
    {
        this.Request = raw.GetPropertyOrNull("request") ?? default;
    }

    public string RequestId => this.Raw.GetStringOrNull("request_id") ?? string.Empty;

    /// <summary>The request body; its <c>subtype</c> says what is asked.</summary>
    public JsonElement Request { get; }

    public string? RequestSubtype => this.Request.GetStringOrNull("subtype");
}
