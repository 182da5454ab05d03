// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// A streamed call of a tool Claude Code runs itself (a built-in tool such as <c>WebSearch</c> or <c>Read</c>, or a tool
/// of the request's MCP servers): once when the model made it, and again with <see cref="Result"/> when it ended. It
/// already ran (or was refused): do not invoke it. SK's <c>FunctionCallContentBuilder</c> does not collect it.
/// </summary>
public sealed class StreamingClaudeCodeToolCallContent : StreamingKernelContent
{
    /// <summary>Initializes a new instance of the <see cref="StreamingClaudeCodeToolCallContent"/> class.</summary>
    /// <param name="call">The call: <c>FunctionName</c> the tool, <c>PluginName</c> its MCP server (null for a built-in tool).</param>
    /// <param name="result">Its result, once it ended.</param>
    /// <param name="modelId">The model.</param>
    public StreamingClaudeCodeToolCallContent(FunctionCallContent call, FunctionResultContent? result, string? modelId = null)
        : base(innerContent: null, choiceIndex: 0, modelId)
    {
        this.Call = call;
        this.Result = result;
    }

    /// <summary>
    /// The call: <c>FunctionName</c> is the tool, <c>PluginName</c> its MCP server (null for a built-in tool), with
    /// <c>Allowed</c> (the app's decision) in its metadata, and for web search <c>Query</c> (and <c>Links</c> once it ended).
    /// </summary>
    public FunctionCallContent Call { get; }

    /// <summary>The call's result (the text the model reads), or null while it runs.</summary>
    public FunctionResultContent? Result { get; }

    /// <inheritdoc/>
    public override string ToString()
        => this.Result is null ? $"{this.Call.PluginName}{(this.Call.PluginName is null ? null : ".")}{this.Call.FunctionName} called" : this.Result.Result?.ToString() ?? string.Empty;

    /// <inheritdoc/>
    public override byte[] ToByteArray() => Encoding.UTF8.GetBytes(this.ToString());
}
