// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;

namespace Connectors.ClaudeCode.Bench;

/// <summary>
/// The floor: the least any host can do to talk to the CLI. One process with the connector's flags, an
/// <c>initialize</c>, then user lines written and stdout read up to each <c>result</c>; no parsing beyond finding the
/// first text delta and the result, no history, no checks.
/// </summary>
internal sealed class RawDriver : IAsyncDisposable
{
    private readonly Process _process;

    private RawDriver(Process process)
    {
        this._process = process;
    }

    public static async Task<RawDriver> StartAsync(string cli, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])["--output-format", "stream-json", "--verbose", "--input-format", "stream-json", "--include-partial-messages",
            "--bare", "--tools=", "--setting-sources=", "--no-session-persistence", "--model=claude-sonnet-4-5", "--system-prompt=", "--thinking=disabled"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["CLAUDE_CODE_TOTAL_TOKENS_REMINDER"] = "off";
        start.Environment["DISABLE_AUTO_COMPACT"] = "1";
        start.Environment["ENABLE_TOOL_SEARCH"] = "false";
        start.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        var driver = new RawDriver(Process.Start(start)!);
        _ = driver._process.StandardError.ReadToEndAsync();
        await driver.WriteAsync("""{"type":"control_request","request_id":"init","request":{"subtype":"initialize","hooks":null}}""");
        while (await driver._process.StandardOutput.ReadLineAsync() is { } line && !line.Contains("\"control_response\"", StringComparison.Ordinal))
        {
        }

        return driver;
    }

    /// <summary>One turn: the time to the result, and to the first text delta.</summary>
    public async Task<(double Total, double FirstToken)> TurnAsync(string prompt)
    {
        var clock = Stopwatch.StartNew();
        double firstToken = double.NaN;
        await this.WriteAsync(JsonSerializer.Serialize(new
        {
            type = "user",
            message = new { role = "user", content = prompt },
            parent_tool_use_id = (string?)null,
            session_id = string.Empty,

            // As the connector sends it: the text as written, not read as typed into Claude Code.
            client_composed = true,
        }));
        while (await this._process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (double.IsNaN(firstToken) && line.Contains("\"text_delta\"", StringComparison.Ordinal))
            {
                firstToken = clock.Elapsed.TotalMilliseconds;
            }

            // The CLI does not put "type" first; only a line that mentions a result is parsed.
            if (line.Contains("\"result\"", StringComparison.Ordinal) && IsResult(line))
            {
                break;
            }
        }

        return (clock.Elapsed.TotalMilliseconds, firstToken);
    }

    public async ValueTask DisposeAsync()
    {
        this._process.StandardInput.Close();
        if (!this._process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            this._process.Kill(entireProcessTree: true);
        }

        await this._process.WaitForExitAsync();
        this._process.Dispose();
    }

    private static bool IsResult(string line)
    {
        using var frame = JsonDocument.Parse(line);
        return frame.RootElement.TryGetProperty("type", out var type) && type.GetString() == "result";
    }

    private async Task WriteAsync(string line)
    {
        await this._process.StandardInput.WriteLineAsync(line);
        await this._process.StandardInput.FlushAsync();
    }
}
