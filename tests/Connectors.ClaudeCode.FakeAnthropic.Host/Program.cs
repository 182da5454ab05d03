// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// The fake Messages API on its own, answering every request with the demo responder, so that anything that runs the
// Claude Code CLI (the notebooks, an app under development) works offline, without a login.
//
//   dotnet run --project tests/Connectors.ClaudeCode.FakeAnthropic.Host [-- options]
//
//   --port N          listen on 127.0.0.1:N (default: a free port)
//   --parent-pid PID  exit when that process ends (a script that starts this in the background passes $$)
//   --chunk-size N    characters per streamed delta (default 3)
//   --delay-ms N      pause between streamed events (default 8)
//   --quiet           no line per request
//
// The first lines on stdout are the base URL and the environment to give the CLI, one `export` line each; then one
// line per request. It stops cleanly on Ctrl-C, SIGTERM or SIGHUP.

using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;

const string OfflineApiKey = "sk-ant-offline";

int port = 0;
int? parentPid = null;
var quiet = false;
var responder = new DemoResponder();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--port":
                port = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "--parent-pid":
                parentPid = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "--chunk-size":
                responder.ChunkSize = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "--delay-ms":
                responder.DelayBetweenEvents = TimeSpan.FromMilliseconds(int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture));
                break;
            case "--quiet":
                quiet = true;
                break;
            default:
                throw new FormatException($"unknown option '{args[i]}'");
        }
    }
}
catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException)
{
    Console.Error.WriteLine($"Bad arguments ({ex.Message}). Options: --port N, --parent-pid PID, --chunk-size N, --delay-ms N, --quiet.");
    return 2;
}

using var stop = new CancellationTokenSource();

// Ctrl-C, SIGTERM (kill, a CI runner) and SIGHUP (the terminal closed) all end the wait below, so the server
// stops and the process exits 0 instead of being torn down mid-response.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

FakeMessagesApi api;
try
{
    api = await FakeMessagesApi.StartAsync(port);
}
catch (System.IO.IOException ex)
{
    Console.Error.WriteLine($"Could not listen on 127.0.0.1:{port}: {ex.Message}");
    return 1;
}

await using (api)
{
    api.KeepRequests = false;
    var requests = 0;
    api.Responder = request =>
    {
        var response = responder.Respond(request);
        if (!quiet)
        {
            var kinds = string.Join(" + ", response.Blocks.Select(b => b.Type == "tool_use" ? $"tool_use {b.ToolName}" : b.Type));
            Console.WriteLine($"request {Interlocked.Increment(ref requests)}: model {request.Model}, {request.Messages.Count} messages, {request.ToolNames.Count} tools -> {kinds}");
        }

        return response;
    };

    var baseUrl = api.BaseUrl.ToString().TrimEnd('/');
    Console.WriteLine($"Fake Anthropic Messages API (offline demo answers) listening on {baseUrl}");
    Console.WriteLine($"export ANTHROPIC_BASE_URL={baseUrl}");
    Console.WriteLine($"export ANTHROPIC_API_KEY={OfflineApiKey}");
    Console.WriteLine("unset ANTHROPIC_AUTH_TOKEN CLAUDE_CODE_OAUTH_TOKEN");
    Console.WriteLine("Ctrl-C or SIGTERM stops it.");

    if (parentPid is { } pid)
    {
        _ = WatchParentAsync(pid, stop);
    }

    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

Console.WriteLine("Stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    // Handled here: the runtime's default would end the process before the server has stopped.
    context.Cancel = true;
    stop.Cancel();
}

static async Task WatchParentAsync(int pid, CancellationTokenSource stop)
{
    try
    {
        using var parent = Process.GetProcessById(pid);
        await parent.WaitForExitAsync(stop.Token);
    }
    catch (ArgumentException)
    {
        // Already gone.
    }
    catch (OperationCanceledException)
    {
        return;
    }

    Console.WriteLine($"Process {pid} ended.");
    await stop.CancelAsync();
}
