// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>The CLI's answer to a control request the host sent.</summary>
internal sealed class CliControlResponse : CliMessage
{
    public CliControlResponse(JsonElement raw)
        : base("control_response", raw)
    {
        this.Envelope = raw.GetPropertyOrNull("response") ?? default;
    }

    public JsonElement Envelope { get; }

    public string RequestId => this.Envelope.GetStringOrNull("request_id") ?? string.Empty;

    public bool IsSuccess => this.Envelope.GetStringOrNull("subtype") == "success";

    /// <summary>The response payload of a success.</summary>
    public JsonElement Response => this.Envelope.GetPropertyOrNull("response") ?? default;

    /// <summary>The error text of a failure.</summary>
    public string? ErrorMessage => this.Envelope.GetStringOrNull("error");
}
