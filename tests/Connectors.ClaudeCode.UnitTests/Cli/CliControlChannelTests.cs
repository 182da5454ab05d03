// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;
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
    public async Task ARequestTheCliWithdrewIsNotAnsweredAsync()
    {
        // The handler is still working on the tool list when the CLI withdraws it (control_cancel_request).
        var handled = new ConcurrentQueue<string>();
        this._channel.Handler = async (request, cancellationToken) =>
        {
            handled.Enqueue(request.RequestId);
            if (request.RequestId == "cli_1")
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new JsonObject();
        };
        this._channel.TryRoute(CliMessageParser.Parse(ToolListRequest));
        this._channel.TryRoute(CliMessageParser.Parse("""{"type":"control_cancel_request","request_id":"cli_1"}"""));
        this._channel.TryRoute(CliMessageParser.Parse("""{"type":"control_request","request_id":"cli_2","request":{"subtype":"mcp_message","server_name":"kernel","message":{"method":"ping","jsonrpc":"2.0","id":2}}}"""));

        // Only the ping is answered: an answer to a withdrawn request would reach a CLI that no longer waits for it.
        var answer = await this.NextFrameAsync();
        Assert.Equal("cli_2", answer["response"]!["request_id"]!.GetValue<string>());
        Assert.Equal(["cli_1", "cli_2"], handled.ToArray());
    }

    [Fact]
    public async Task WithoutAHandlerARequestGetsAnErrorAnswerAsync()
    {
        this._channel.TryRoute(CliMessageParser.Parse(ToolListRequest));

        var answer = await this.NextFrameAsync();
        Assert.Equal("error", answer["response"]!["subtype"]!.GetValue<string>());
        Assert.Equal("cli_1", answer["response"]!["request_id"]!.GetValue<string>());
    }

    [Fact]
    public void ARequestThatComesAfterDisposeIsNeitherHandledNorAnsweredAndDisposeCanBeRepeated()
    {
        var handled = 0;
        this._channel.Handler = (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult<JsonNode?>(new JsonObject());
        };
        this._channel.Dispose();

        Assert.True(this._channel.TryRoute(CliMessageParser.Parse(ToolListRequest)));

        Assert.Equal(0, Volatile.Read(ref handled));
        Assert.False(this._sent.Reader.TryRead(out _));
        this._channel.Dispose();
    }

    public void Dispose() => this._channel.Dispose();

    // Bounded, so that a regression fails the test instead of hanging the run.
    private Task<JsonNode> NextFrameAsync() => this._sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
