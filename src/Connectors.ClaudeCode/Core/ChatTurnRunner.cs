// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.FunctionCalling;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core;

/// <summary>Runs chat turns: one CLI process per turn, from spawn to exit.</summary>
#pragma warning disable CA1001 // The semaphore never creates its wait handle, so it holds nothing to dispose; disposing it under running calls would break their release.
internal sealed class ChatTurnRunner
#pragma warning restore CA1001
{
    private readonly ClaudeCodeOptions _options;
    private readonly LaunchContext _launch;
    private readonly ICliConnectionFactory _factory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim? _slots;

    public ChatTurnRunner(ClaudeCodeOptions options, LaunchContext launch, ICliConnectionFactory factory, ILogger logger)
    {
        this._options = options;
        this._launch = launch;
        this._factory = factory;
        this._logger = logger;
        if (options.MaxConcurrentCalls is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(options));
            this._slots = new SemaphoreSlim(limit, limit);
        }
    }

    /// <summary>Runs one turn and streams its updates; the last one is <see cref="TurnUpdateKind.Completed"/>.</summary>
    public async IAsyncEnumerable<TurnUpdate> RunAsync(ChatTurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The request timeout rides on the same token as the caller's cancellation, so it ends the process the same way.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (this._options.RequestTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        if (request.FunctionCalling is { } functions)
        {
            functions.TurnCancellation = timeout.Token;
        }

        // A call made from inside an auto-invoked function must not wait for a slot its own caller holds.
        var slots = AutoFunctionInvoker.CurrentDepth == 0 ? this._slots : null;
        if (slots is not null)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var turn = await this.WithTimeoutAsync(() => this.StartAsync(request, timeout.Token), cancellationToken, timeout.Token).ConfigureAwait(false);
            await using (turn.ConfigureAwait(false))
            {
                while (await this.WithTimeoutAsync(() => turn.ReadNextAsync(timeout.Token), cancellationToken, timeout.Token).ConfigureAwait(false) is { } update)
                {
                    yield return update;
                }
            }
        }
        finally
        {
            slots?.Release();
        }
    }

    private async Task<T> WithTimeoutAsync<T>(Func<Task<T>> operation, CancellationToken callerToken, CancellationToken timeoutToken)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && timeoutToken.IsCancellationRequested && this._options.RequestTimeout is { } limit)
        {
            throw new ClaudeCodeTimeoutException($"The Claude Code call did not finish within {limit.TotalSeconds:0.###} s (ClaudeCodeOptions.RequestTimeout); its CLI process was ended.", ex)
            {
                Timeout = limit,
            };
        }
    }

    private async Task<ActiveTurn> StartAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        string executable;
        string? interpreter;
        try
        {
            (executable, interpreter) = CliLocator.Locate(this._options.CliPath);
        }
        catch (CliException ex)
        {
            throw ErrorMapper.FromCliException(ex);
        }

        // Long prompts go by file: command lines have per-argument and total limits (E2BIG on Linux, 32K on Windows).
        string? systemPromptFile = null;
        if (request.SystemPrompt is { } systemPrompt && systemPrompt.Length > this._options.SystemPromptFileThreshold)
        {
            systemPromptFile = Path.Combine(Path.GetTempPath(), "claude-code-system-" + Guid.NewGuid().ToString("N") + ".txt");
            await File.WriteAllTextAsync(systemPromptFile, systemPrompt, cancellationToken).ConfigureAwait(false);
        }

        var spec = CliArgumentsBuilder.Build(this._options, this._launch, request, executable, interpreter, systemPromptFile);
        ICliConnection connection;
        try
        {
            connection = await this._factory.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            TemporaryFiles.DeleteQuietly(systemPromptFile);
            throw ErrorMapper.FromCliException(ex);
        }
        catch
        {
            TemporaryFiles.DeleteQuietly(systemPromptFile);
            throw;
        }

        var turn = new ActiveTurn(connection, this._options, this._launch.Bare, this._logger, systemPromptFile, request.FunctionCalling);
        try
        {
            await turn.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await turn.SendHistoryAsync(request.History, cancellationToken).ConfigureAwait(false);
            await turn.SendPromptAsync(request.Prompt, cancellationToken).ConfigureAwait(false);
            return turn;
        }
        catch
        {
            await turn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
