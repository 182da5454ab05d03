// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// A real MCP server (the official C# SDK, streamable HTTP) on a free loopback port, with two tools: <c>echo</c>
/// answers with its text, <c>secret</c> with a fixed word. Records the headers of every HTTP request and every tool
/// call it ran.
/// </summary>
internal sealed class LoopbackMcpServer : IAsyncDisposable
{
    /// <summary>What <c>secret</c> answers.</summary>
    public const string SecretWord = "pumpernickel";

    private readonly WebApplication _app;

    private LoopbackMcpServer(WebApplication app)
    {
        this._app = app;
    }

    /// <summary>The server's MCP endpoint.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The headers of every HTTP request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> RequestHeaders { get; } = new();

    /// <summary>The tool calls it ran, as "tool:argument".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<LoopbackMcpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        LoopbackMcpServer? server = null;
        builder.Services.AddMcpServer()
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools(
            [
                McpServerTool.Create(
                    (string text) =>
                    {
                        server!.Calls.Enqueue("echo:" + text);
                        return "echo: " + text;
                    },
                    new McpServerToolCreateOptions { Name = "echo", Description = "Repeats the text." }),
                McpServerTool.Create(
                    () =>
                    {
                        server!.Calls.Enqueue("secret:");
                        return SecretWord;
                    },
                    new McpServerToolCreateOptions { Name = "secret", Description = "Tells the secret word." }),
            ]);
        var app = builder.Build();
        server = new LoopbackMcpServer(app);
        app.Use(async (context, next) =>
        {
            server.RequestHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            await next(context).ConfigureAwait(false);
        });
        app.MapMcp("/mcp");
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/mcp");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await this._app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await this._app.DisposeAsync().ConfigureAwait(false);
    }
}
