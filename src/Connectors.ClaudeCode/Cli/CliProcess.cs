// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
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
/// One Claude Code CLI child process: spawning it, writing lines to its stdin, reading stream-json frames from its
/// stdout (the control protocol's go to <see cref="CliControlChannel"/>, the rest to <see cref="Messages"/>), keeping
/// a tail of stderr for error messages, and ending it.
/// </summary>
internal sealed class CliProcess : ICliConnection
{
    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _displayPath;
    private readonly Channel<CliMessage> _messages = Channel.CreateUnbounded<CliMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CliControlChannel _control;
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
        this._control = new CliControlChannel(this.SendAsync, () => this.StderrTail, logger);
        this._stdoutPump = Task.Run(this.PumpStdoutAsync);
        this._stderrPump = Task.Run(this.PumpStderrAsync);
    }

    /// <inheritdoc/>
    public ChannelReader<CliMessage> Messages => this._messages.Reader;

    /// <inheritdoc/>
    public Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? ControlRequestHandler
    {
        get => this._control.Handler;
        set => this._control.Handler = value;
    }

    /// <inheritdoc/>
    public Action<CliMessage>? MessageObserver { get; set; }

    /// <inheritdoc/>
    public string StderrTail => this._stderr.ToString();

    /// <inheritdoc/>
    public string StrayOutput => this._strayStdout.ToString();

    /// <inheritdoc/>
    public int? ProcessId { get; }


    /// <inheritdoc/>
    public DateTimeOffset? RetireAt { get; set; }

    /// <inheritdoc/>
    public CliResultMessage? LastResult { get; set; }

    public bool HasExited
    {
        get
        {
            try
            {
                // Output that ended means a process that cannot be used, even before its exit is observed.
                return this._messages.Reader.Completion.IsCompleted || this._process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Whether the process itself has exited (not only its output).</summary>
    private bool HasProcessExited()
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

    /// <summary>Starts the process described by <paramref name="spec"/>.</summary>
    public static CliProcess Start(CliLaunchSpec spec, ILogger logger)
    {
        var startInfo = CliStartInfo.Create(spec, s_utf8NoBom);
        var process = new Process { StartInfo = startInfo };
        try
        {
            if (!ParentDeathSignal.Start(process))
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

        CliProcessRegistry.Add(process);
        return new CliProcess(process, spec.ExecutablePath, logger);
    }

    /// <inheritdoc/>
    public async Task SendAsync(JsonNode message, CancellationToken cancellationToken)
    {
        var line = message.ToJsonString();
        if (this._logger.IsEnabled(LogLevel.Trace))
        {
            this._logger.LogTrace("CLI stdin {Pid}: {Line}", this._process.Id, line);
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
    public Task<JsonElement> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (this._messages.Reader.Completion.IsCompleted)
        {
            throw this.CreateExitedException("before it could answer a control request");
        }

        return this._control.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int?> ShutdownAsync(TimeSpan gracePeriod)
    {
        if (gracePeriod <= TimeSpan.Zero)
        {
            await this.AbortAsync().ConfigureAwait(false);
            return this.TryGetExitCode();
        }

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
        // Asked first, the CLI cleans up after itself (its session entry, its MCP servers); killed only if it lingers.
        if (!this.HasProcessExited() && PosixTermination.TryTerminate(this._process.Id))
        {
            using var grace = new CancellationTokenSource(PosixTermination.Grace);
            try
            {
                await this._process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                this._logger.LogDebug("Claude Code CLI (pid {Pid}) did not exit within {Grace} of SIGTERM; killing it.", this.ProcessId, PosixTermination.Grace);
            }
        }

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

        this._control.Dispose();
        CliProcessRegistry.Remove(this._process);

        // Process.Dispose leaves the redirected streams to the finalizer: close the pipes now, or every call keeps two
        // handles open until a garbage collection.
        DisposeQuietly(this._process.StandardOutput);
        DisposeQuietly(this._process.StandardError);
        DisposeQuietly(this._process.StandardInput);
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
                    this._logger.LogTrace("CLI stdout {Pid}: {Line}", this._process.Id, line);
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

                if (!this._control.TryRoute(message) && message.Type != "keep_alive")
                {
                    this.MessageObserver?.Invoke(message);
                    this._messages.Writer.TryWrite(message);
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
            this._control.Close(failure);
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
        this._control.Close(this.CreateExitedException("before it answered"));
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

    private static void DisposeQuietly(IDisposable stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A pipe broken by the process's exit has nothing left to release.
        }
    }

    private static string Truncate(string line) => line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 300), "…");
}
