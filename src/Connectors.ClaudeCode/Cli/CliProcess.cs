// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;

/// <summary>
/// One Claude Code CLI child process speaking stream-json on stdin/stdout, with the control protocol
/// multiplexed on the same pipes. stderr is kept as a tail for error messages.
/// </summary>
internal sealed class CliProcess : ICliConnection
{
    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static int s_requestCounter;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _displayPath;
    private readonly Channel<CliMessage> _messages = Channel.CreateUnbounded<CliMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pendingRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inboundRequests = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TailBuffer _stderr = new(40);
    private readonly TailBuffer _strayStdout = new(20);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly CancellationTokenSource _lifetime = new();
    private int _stdinClosed;
    private int _disposed;

    private CliProcess(Process process, string displayPath, ILogger logger)
    {
        this._process = process;
        this._displayPath = displayPath;
        this._logger = logger;
        this.ProcessId = process.Id;
        this._stdoutPump = Task.Run(this.PumpStdoutAsync);
        this._stderrPump = Task.Run(this.PumpStderrAsync);
    }

    /// <inheritdoc/>
    public ChannelReader<CliMessage> Messages => this._messages.Reader;

    /// <inheritdoc/>
    public Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? ControlRequestHandler { get; set; }

    /// <inheritdoc/>
    public Action<CliMessage>? MessageObserver { get; set; }

    /// <inheritdoc/>
    public string StderrTail => this._stderr.ToString();

    /// <inheritdoc/>
    public string StrayOutput => this._strayStdout.ToString();

    /// <inheritdoc/>
    public int? ProcessId { get; }


    /// <inheritdoc/>
    public bool HasExited
    {
        get
        {
            try
            {
                return this._process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Starts the process described by <paramref name="spec"/>.</summary>
    public static CliProcess Start(CliLaunchSpec spec, ILogger logger)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = spec.Interpreter ?? spec.ExecutablePath,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardInputEncoding = s_utf8NoBom,
            StandardOutputEncoding = s_utf8NoBom,
            StandardErrorEncoding = s_utf8NoBom,
        };

        if (spec.Interpreter is not null)
        {
            startInfo.ArgumentList.Add(spec.ExecutablePath);
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = spec.WorkingDirectory;
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            if (!process.Start())
            {
                throw new CliNotFoundException($"The Claude Code CLI at '{spec.ExecutablePath}' could not be started.", spec.ExecutablePath);
            }
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new CliNotFoundException($"The Claude Code CLI at '{spec.ExecutablePath}' could not be started: {ex.Message}", spec.ExecutablePath, ex);
        }
        catch (InvalidOperationException ex)
        {
            process.Dispose();
            throw new CliNotFoundException($"The Claude Code CLI at '{spec.ExecutablePath}' could not be started: {ex.Message}", spec.ExecutablePath, ex);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Started Claude Code CLI {Path} (pid {Pid}) with {Arguments}", spec.ExecutablePath, process.Id, string.Join(" ", spec.Arguments));
        }

        return new CliProcess(process, spec.ExecutablePath, logger);
    }

    /// <inheritdoc/>
    public async Task SendAsync(JsonNode message, CancellationToken cancellationToken)
    {
        var line = message.ToJsonString();
        if (this._logger.IsEnabled(LogLevel.Trace))
        {
            this._logger.LogTrace("CLI stdin: {Line}", line);
        }

        await this._writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref this._stdinClosed) != 0)
            {
                throw this.CreateExitedException("or is shutting down: its input is already closed");
            }

            var writer = this._process.StandardInput;
            await writer.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process is gone. Let the readers finish first, so the error carries what it printed before exiting.
            await this.WaitForOutputAsync().ConfigureAwait(false);
            throw this.CreateExitedException("while the connector was writing to it");
        }
        finally
        {
            this._writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<JsonElement> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var requestId = string.Create(CultureInfo.InvariantCulture, $"req_{Interlocked.Increment(ref s_requestCounter)}_{Random.Shared.Next():x8}");
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        this._pendingRequests[requestId] = completion;
        try
        {
            if (this._messages.Reader.Completion.IsCompleted)
            {
                throw this.CreateExitedException("before it could answer a control request");
            }

            var envelope = new JsonObject
            {
                ["type"] = "control_request",
                ["request_id"] = requestId,
                ["request"] = request,
            };
            await this.SendAsync(envelope, cancellationToken).ConfigureAwait(false);
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            this._pendingRequests.TryRemove(requestId, out _);
        }
    }

    /// <inheritdoc/>
    public async Task<int?> ShutdownAsync(TimeSpan gracePeriod)
    {
        this.CloseStdin();
        try
        {
            using var timeout = new CancellationTokenSource(gracePeriod);
            await this._process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            this._logger.LogDebug("Claude Code CLI (pid {Pid}) did not exit within {Grace}; killing it.", this.ProcessId, gracePeriod);
            await this.AbortAsync().ConfigureAwait(false);
        }

        return this.TryGetExitCode();
    }

    /// <inheritdoc/>
    public async Task AbortAsync()
    {
        try
        {
            if (!this._process.HasExited)
            {
                this._process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception ex)
        {
            this._logger.LogWarning(ex, "Could not kill Claude Code CLI (pid {Pid}).", this.ProcessId);
        }

        this.CloseStdin();
        await this._process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this._disposed, 1) != 0)
        {
            return;
        }

        if (!this._process.HasExited)
        {
            await this.ShutdownAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        this._lifetime.Cancel();
        try
        {
            await Task.WhenAll(this._stdoutPump, this._stderrPump).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pumps end with the pipes; nothing left to read.
        }

        foreach (var inbound in this._inboundRequests.Values)
        {
            inbound.Cancel();
        }

        this._process.Dispose();
        this._writeLock.Dispose();
        this._lifetime.Dispose();
    }

    private void CloseStdin()
    {
        if (Interlocked.Exchange(ref this._stdinClosed, 1) != 0)
        {
            return;
        }

        // Take the write lock so a line being written is not cut in half; a stuck writer must not block shutdown for long.
        var locked = this._writeLock.Wait(TimeSpan.FromSeconds(1));
        try
        {
            this._process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe is already broken: the process is gone.
        }
        finally
        {
            if (locked)
            {
                this._writeLock.Release();
            }
        }
    }

    private async Task WaitForOutputAsync()
    {
        try
        {
            await Task.WhenAll(this._stdoutPump, this._stderrPump).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private int? TryGetExitCode()
    {
        try
        {
            return this._process.HasExited ? this._process.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private CliProcessExitedException CreateExitedException(string when)
    {
        var exitCode = this.TryGetExitCode();
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"The Claude Code CLI at '{this._displayPath}' exited {when}")
            .Append(exitCode is null ? "." : string.Create(CultureInfo.InvariantCulture, $" (exit code {exitCode})."));
        var stray = this.StrayOutput;
        if (stray.Length > 0)
        {
            message.Append(" It printed text that is not the stream-json protocol: ").Append(stray);
        }

        var stderr = this.StderrTail;
        if (stderr.Length > 0)
        {
            message.Append(" stderr: ").Append(stderr);
        }

        return new CliProcessExitedException(message.ToString(), exitCode, stderr);
    }

    private async Task PumpStdoutAsync()
    {
        Exception? failure = null;
        try
        {
            var reader = this._process.StandardOutput;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (this._logger.IsEnabled(LogLevel.Trace))
                {
                    this._logger.LogTrace("CLI stdout: {Line}", line);
                }

                var trimmed = line.AsSpan().TrimStart();
                if (trimmed.IsEmpty)
                {
                    continue;
                }

                if (trimmed[0] != '{')
                {
                    // Some builds print debug text on stdout; the official SDKs skip such lines too.
                    this._strayStdout.Add(line);
                    continue;
                }

                CliMessage message;
                try
                {
                    message = CliMessageParser.Parse(line);
                }
                catch (JsonException ex)
                {
                    failure = new CliProtocolException(
                        $"The Claude Code CLI at '{this._displayPath}' wrote a line that is not valid stream-json: {Truncate(line)}",
                        Truncate(line),
                        this.StderrTail,
                        ex);
                    break;
                }

                switch (message)
                {
                    case CliControlResponse response:
                        this.CompleteRequest(response);
                        break;
                    case CliControlRequest request:
                        _ = this.AnswerControlRequestAsync(request);
                        break;
                    default:
                        if (message.Type == "control_cancel_request")
                        {
                            if (message.Raw.GetStringOrNull("request_id") is { } cancelled && this._inboundRequests.TryGetValue(cancelled, out var cts))
                            {
                                cts.Cancel();
                            }
                        }
                        else if (message.Type != "keep_alive")
                        {
                            this.MessageObserver?.Invoke(message);
                            this._messages.Writer.TryWrite(message);
                        }

                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed under us: treat as the end of output.
        }

        if (failure is not null)
        {
            this._messages.Writer.TryComplete(failure);
            this.FailPending(failure);
            return;
        }

        // Let stderr drain so that error messages carry the CLI's last words.
        try
        {
            await this._process.WaitForExitAsync(this._lifetime.Token).ConfigureAwait(false);
            await this._stderrPump.WaitAsync(TimeSpan.FromSeconds(1), this._lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
        }

        this._messages.Writer.TryComplete();
        this.FailPending(this.CreateExitedException("before it answered"));
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            var reader = this._process.StandardError;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                this._stderr.Add(line);
                if (this._logger.IsEnabled(LogLevel.Debug))
                {
                    this._logger.LogDebug("CLI stderr: {Line}", line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void CompleteRequest(CliControlResponse response)
    {
        if (!this._pendingRequests.TryGetValue(response.RequestId, out var completion))
        {
            this._logger.LogDebug("Ignoring control response for unknown request {RequestId}.", response.RequestId);
            return;
        }

        if (response.IsSuccess)
        {
            completion.TrySetResult(response.Response);
        }
        else
        {
            completion.TrySetException(new CliException($"The Claude Code CLI refused a control request: {response.ErrorMessage ?? "unknown error"}", this.StderrTail));
        }
    }

    private void FailPending(Exception exception)
    {
        foreach (var pending in this._pendingRequests.Values)
        {
            pending.TrySetException(exception);
        }
    }

    private async Task AnswerControlRequestAsync(CliControlRequest request)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(this._lifetime.Token);
        this._inboundRequests[request.RequestId] = cts;
        JsonObject envelope;
        try
        {
            var handler = this.ControlRequestHandler;
            if (handler is null)
            {
                throw new NotSupportedException($"Unsupported control request subtype: {request.RequestSubtype}");
            }

            var payload = await handler(request, cts.Token).ConfigureAwait(false);
            envelope = new JsonObject
            {
                ["subtype"] = "success",
                ["request_id"] = request.RequestId,
                ["response"] = payload ?? new JsonObject(),
            };
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The CLI withdrew the request (control_cancel_request) or the process is going away: no answer is expected.
            this._inboundRequests.TryRemove(request.RequestId, out _);
            return;
        }
#pragma warning disable CA1031 // Any handler failure must become an error answer, or the CLI waits forever.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            envelope = new JsonObject
            {
                ["subtype"] = "error",
                ["request_id"] = request.RequestId,
                ["error"] = ex.Message,
            };
        }

        this._inboundRequests.TryRemove(request.RequestId, out _);
        try
        {
            await this.SendAsync(new JsonObject { ["type"] = "control_response", ["response"] = envelope }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            this._logger.LogDebug(ex, "Could not answer control request {RequestId}: the CLI is gone.", request.RequestId);
        }
    }

    private static string Truncate(string line) => line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 300), "…");
}
