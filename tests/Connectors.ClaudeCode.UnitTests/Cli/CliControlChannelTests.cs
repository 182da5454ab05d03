// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Cli;

public sealed class CliControlChannelTests : IDisposable
{
    private const string ToolListRequest = """{"type":"control_request","request_id":"cli_1","request":{"subtype":"mcp_message","server_name":"kernel","message":{"method":"tools/list","jsonrpc":"2.0","id":1}}}""";

    private readonly Channel<JsonNode> _sent = Channel.CreateUnbounded<JsonNode>();
    private readonly CliControlChannel _channel;

    public CliControlChannelTests()
    {
        this._channel = new CliControlChannel(
            (frame, _) => this._sent.Writer.WriteAsync(frame, CancellationToken.None).AsTask(),
            () => string.Empty,
            NullLogger.Instance);
    }

    [Fact]
    public async Task ARequestAReadyProcessCannotAnswerWaitsForTheCallThatTakesItAsync()
    {
        // A ready process answers the MCP handshake itself; the tool list belongs to the call that takes the process.
        this._channel.Handler = McpMessages.AnswerHandshakeAsync;
        Assert.True(this._channel.TryRoute(CliMessageParser.Parse(ToolListRequest)));
        Assert.True(this._channel.TryRoute(CliMessageParser.Parse("""{"type":"control_request","request_id":"cli_2","request":{"subtype":"mcp_message","server_name":"kernel","message":{"method":"ping","jsonrpc":"2.0","id":2}}}""")));

        // The ping is answered; the tool list is not: an error answer would make the CLI ask again only after a back-off.
        var ping = await this._sent.Reader.ReadAsync();
        Assert.Equal("cli_2", ping["response"]!["request_id"]!.GetValue<string>());
        Assert.False(this._sent.Reader.TryRead(out _));

        // Between calls the handler may be unset; the request still waits for the next one.
        this._channel.Handler = null;
        Assert.False(this._sent.Reader.TryRead(out _));
        this._channel.Handler = (request, _) => Task.FromResult<JsonNode?>(McpMessages.Response(1, result: new JsonObject { ["tools"] = new JsonArray() }));

        var answer = await this._sent.Reader.ReadAsync();
        Assert.Equal("success", answer["response"]!["subtype"]!.GetValue<string>());
        Assert.Equal("cli_1", answer["response"]!["request_id"]!.GetValue<string>());
        Assert.NotNull(answer["response"]!["response"]!["mcp_response"]!["result"]!["tools"]);
    }

    [Fact]
    public async Task WithoutAHandlerARequestGetsAnErrorAnswerAsync()
    {
        this._channel.TryRoute(CliMessageParser.Parse(ToolListRequest));

        var answer = await this._sent.Reader.ReadAsync();
        Assert.Equal("error", answer["response"]!["subtype"]!.GetValue<string>());
    }

    public void Dispose() => this._channel.Dispose();
}
