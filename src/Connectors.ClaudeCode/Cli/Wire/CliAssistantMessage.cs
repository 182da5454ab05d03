// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

/// <summary>
/// An <c>assistant</c> line: one completed content block of a model response (lines of one response share
/// <see cref="MessageId"/>), or a synthetic message the CLI writes for an error.
/// </summary>
internal sealed class CliAssistantMessage : CliMessage
{
    public CliAssistantMessage(JsonElement raw)
        : base("assistant", raw)
    {
        this.Message = raw.GetPropertyOrNull("message") ?? default;
        this.Blocks = CliContentBlock.ParseAll(this.Content);
    }

    /// <summary>The content blocks, parsed.</summary>
    public System.Collections.Generic.IReadOnlyList<CliContentBlock> Blocks { get; }

    /// <summary>The Messages API message object.</summary>
    public JsonElement Message { get; }

    public string? MessageId => this.Message.GetStringOrNull("id");

    public string? Model => this.Message.GetStringOrNull("model");

    /// <summary>The content blocks (an array), or an undefined element when missing.</summary>
    public JsonElement Content => this.Message.GetPropertyOrNull("content") ?? default;

    /// <summary>Non-null for the output of a sub-agent; the connector only surfaces the main conversation.</summary>
    public string? ParentToolUseId => this.Raw.GetStringOrNull("parent_tool_use_id");

    /// <summary>True for the CLI's own error prose (model <c>&lt;synthetic&gt;</c>).</summary>
    public bool IsSynthetic => this.Model == "<synthetic>" || this.Raw.GetBooleanOrNull("is_api_error_message") == true;

    /// <summary>The error kind of a synthetic message, e.g. <c>authentication_failed</c> or <c>rate_limit</c>.</summary>
    public string? Error => this.Raw.GetStringOrNull("error");

    public int? ApiErrorStatus => (int?)this.Raw.GetInt64OrNull("api_error_status");

    public string? ApiErrorType => this.Raw.GetStringOrNull("api_error_type");

    public string? RequestId => this.Raw.GetStringOrNull("request_id");
}
