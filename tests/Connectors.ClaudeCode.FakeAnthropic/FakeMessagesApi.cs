// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectors.ClaudeCode.FakeAnthropic;

/// <summary>
/// A fake Anthropic Messages API on 127.0.0.1 (a free port). It answers <c>POST /v1/messages</c> with real SSE
/// framing or JSON, as scripted per test: a queue of responses, then <see cref="Responder"/>, then an echo of
/// the last user text. Every request is recorded.
/// </summary>
public sealed class FakeMessagesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeResponse> _queue = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _messageCounter;

    private FakeMessagesApi(WebApplication app)
    {
        this._app = app;
    }

    /// <summary>The base URL to give the CLI as <c>ANTHROPIC_BASE_URL</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Answers requests when the queue is empty; null echoes the last user text.</summary>
    public Func<RecordedRequest, FakeResponse>? Responder { get; set; }

    /// <summary>Whether requests are kept for <see cref="Requests"/> (default); a long soak turns it off so the fake does not grow.</summary>
    public bool KeepRequests { get; set; } = true;

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (this._gate)
            {
                return this._requests.ToList();
            }
        }
    }

    /// <summary>The <c>POST /v1/messages</c> requests received so far.</summary>
    public IReadOnlyList<RecordedRequest> MessageRequests => this.Requests.Where(r => r.Path.StartsWith("/v1/messages", StringComparison.Ordinal) && !r.Path.Contains("count_tokens", StringComparison.Ordinal)).ToList();

    /// <summary>Starts a server on a free loopback port.</summary>
    public static Task<FakeMessagesApi> StartAsync(CancellationToken cancellationToken = default) => StartAsync(0, cancellationToken);

    /// <summary>Starts a server on a loopback port: <paramref name="port"/>, or a free one when it is 0.</summary>
    public static async Task<FakeMessagesApi> StartAsync(int port, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var fake = new FakeMessagesApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>Adds responses that the next requests get, in order.</summary>
    public void Enqueue(params FakeResponse[] responses)
    {
        foreach (var response in responses)
        {
            this._queue.Enqueue(response);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Handlers that are sleeping (scripted delays) would otherwise hold up the stop until they wake.
        await this._shutdown.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await this._app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await this._app.DisposeAsync().ConfigureAwait(false);
        this._shutdown.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, this._shutdown.Token);
        context.RequestAborted = aborted.Token;
        try
        {
            await this.HandleCoreAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away or the fake is stopping.
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
        lock (this._gate)
        {
            if (this.KeepRequests)
            {
                this._requests.Add(request);
            }
        }

        if (context.Request.Path.StartsWithSegments("/v1/messages/count_tokens", StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["input_tokens"] = 100 }).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 404, "not_found_error", $"No route for {context.Request.Method} {context.Request.Path}").ConfigureAwait(false);
            return;
        }

        var response = this._queue.TryDequeue(out var queued) ? queued : this.Responder?.Invoke(request) ?? Echo(request);
        if (response.DelayBeforeResponse > TimeSpan.Zero)
        {
            await Task.Delay(response.DelayBeforeResponse, context.RequestAborted).ConfigureAwait(false);
        }

        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.ErrorStatus is { } status)
        {
            await WriteErrorAsync(context, status, response.ErrorType, response.ErrorMessage).ConfigureAwait(false);
            return;
        }

        var messageId = "msg_fake_" + Interlocked.Increment(ref this._messageCounter).ToString(CultureInfo.InvariantCulture);
        var model = response.Model ?? request.Model ?? "claude-fake";
        if (request.Stream)
        {
            await WriteStreamAsync(context, response, messageId, model).ConfigureAwait(false);
        }
        else if (response.Malformed)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"msg_cut\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"unterminated", context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, 200, BuildMessage(response, messageId, model)).ConfigureAwait(false);
        }
    }

    private static FakeResponse Echo(RecordedRequest request) => FakeResponse.Text("ECHO: " + request.LastUserText);

    private static JsonObject Usage(FakeResponse response) => new()
    {
        ["input_tokens"] = response.InputTokens,
        ["cache_creation_input_tokens"] = response.CacheCreationInputTokens,
        ["cache_read_input_tokens"] = response.CacheReadInputTokens,
        ["output_tokens"] = response.OutputTokens,
    };

    private static string StopReasonOf(FakeResponse response)
        => response.StopReason ?? (response.Blocks.Any(b => b.Type == "tool_use") ? "tool_use" : "end_turn");

    private static JsonObject BuildBlock(FakeBlock block)
        => block.Whole is { } whole ? (JsonObject)whole.DeepClone() : block.Type switch
        {
            "server_tool_use" => new JsonObject { ["type"] = "server_tool_use", ["id"] = block.ToolUseId, ["name"] = block.ToolName, ["input"] = JsonNode.Parse(block.InputJson) },
            "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = block.Text, ["signature"] = block.Signature },
            "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = block.ToolUseId, ["name"] = block.ToolName, ["input"] = JsonNode.Parse(block.InputJson) },
            _ => TextBlockOf(block, block.Text),
        };

    /// <summary>A text block; with citations it carries them (empty in <c>content_block_start</c>, as the API sends it).</summary>
    private static JsonObject TextBlockOf(FakeBlock block, string text, bool started = false)
    {
        var json = new JsonObject { ["type"] = "text", ["text"] = text };
        if (block.Citations.Count > 0)
        {
            json["citations"] = started ? new JsonArray() : new JsonArray(block.Citations.Select(c => (JsonNode)c.DeepClone()).ToArray());
        }

        return json;
    }

    private static JsonObject BuildMessage(FakeResponse response, string messageId, string model)
        => new()
        {
            ["id"] = messageId,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(response.Blocks.Select(b => (JsonNode)BuildBlock(b)).ToArray()),
            ["stop_reason"] = StopReasonOf(response),
            ["stop_sequence"] = response.StopSequence,
            ["usage"] = Usage(response),
        };

    private static async Task WriteStreamAsync(HttpContext context, FakeResponse response, string messageId, string model)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["request-id"] = "req_fake_" + messageId;
        var ct = context.RequestAborted;

        async Task SendAsync(string eventName, JsonObject data)
        {
            await context.Response.WriteAsync($"event: {eventName}\ndata: {data.ToJsonString()}\n\n", ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            if (response.DelayBetweenEvents > TimeSpan.Zero)
            {
                await Task.Delay(response.DelayBetweenEvents, ct).ConfigureAwait(false);
            }
        }

        if (response.Malformed)
        {
            await context.Response.WriteAsync("event: message_start\ndata: this is not json\n\n", ct).ConfigureAwait(false);
            return;
        }

        var startUsage = Usage(response);
        startUsage["output_tokens"] = 1;
        await SendAsync("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = startUsage,
            },
        }).ConfigureAwait(false);

        var paused = false;
        var deltas = 0;
        for (var index = 0; index < response.Blocks.Count; index++)
        {
            var block = response.Blocks[index];
            JsonObject start = block.Whole is { } whole ? (JsonObject)whole.DeepClone() : block.Type switch
            {
                "server_tool_use" => new JsonObject { ["type"] = "server_tool_use", ["id"] = block.ToolUseId, ["name"] = block.ToolName, ["input"] = new JsonObject() },
                "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = string.Empty, ["signature"] = string.Empty },
                "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = block.ToolUseId, ["name"] = block.ToolName, ["input"] = new JsonObject() },
                _ => TextBlockOf(block, string.Empty, started: true),
            };
            await SendAsync("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = start }).ConfigureAwait(false);

            var (deltaType, field, payload) = block.Whole is not null ? ("none", "none", string.Empty) : block.Type switch
            {
                "server_tool_use" => ("input_json_delta", "partial_json", block.InputJson),
                "thinking" => ("thinking_delta", "thinking", block.Text),
                "tool_use" => ("input_json_delta", "partial_json", block.InputJson),
                _ => ("text_delta", "text", block.Text),
            };
            foreach (var piece in Chunk(payload, Math.Max(1, response.ChunkSize)))
            {
                await SendAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = deltaType, [field] = piece },
                }).ConfigureAwait(false);
                if (response.PauseAfterFirstDelta > TimeSpan.Zero && !paused)
                {
                    paused = true;
                    await Task.Delay(response.PauseAfterFirstDelta, ct).ConfigureAwait(false);
                }

                deltas++;
                if (deltas == response.CutAfterDeltas)
                {
                    context.Abort();
                    return;
                }

                if (deltas == response.ErrorEventAfterDeltas)
                {
                    await SendAsync("error", new JsonObject
                    {
                        ["type"] = "error",
                        ["error"] = new JsonObject { ["type"] = response.ErrorType, ["message"] = response.ErrorMessage },
                    }).ConfigureAwait(false);
                    return;
                }
            }

            foreach (var citation in block.Citations)
            {
                // One citation per event, added to the block's citations (the API's streaming form).
                await SendAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = "citations_delta", ["citation"] = citation.DeepClone() },
                }).ConfigureAwait(false);
            }

            if (block.Type == "thinking")
            {
                await SendAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = block.Signature },
                }).ConfigureAwait(false);
            }

            await SendAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }).ConfigureAwait(false);
        }

        await SendAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReasonOf(response), ["stop_sequence"] = response.StopSequence },
            ["usage"] = Usage(response),
        }).ConfigureAwait(false);
        if (!response.OmitMessageStop)
        {
            await SendAsync("message_stop", new JsonObject { ["type"] = "message_stop" }).ConfigureAwait(false);
        }
    }

    private static IEnumerable<string> Chunk(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (!context.Response.Headers.ContainsKey("request-id"))
        {
            context.Response.Headers["request-id"] = "req_fake_json";
        }

        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string type, string message)
        => WriteJsonAsync(context, status, new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        });
}
