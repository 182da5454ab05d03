// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli;
using Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire;

namespace Connectors.ClaudeCode.UnitTests;

/// <summary>
/// A CLI connection driven by a script instead of a process: each line the connector sends is recorded and
/// handed to <see cref="OnSend"/>, which answers by emitting stdout lines.
/// </summary>
internal sealed class ScriptedCliConnection : ICliConnection
{
    private readonly Channel<CliMessage> _messages = Channel.CreateUnbounded<CliMessage>();

    public ScriptedCliConnection()
    {
        this.OnSend = (connection, line) =>
        {
            if (line["shouldQuery"]?.GetValue<bool>() == false)
            {
                connection.Emit("""{"type":"result","subtype":"success","is_error":false,"num_turns":0,"session_id":"s"}""");
            }
        };
    }

    /// <summary>Reacts to a line the connector wrote (control requests are answered by <see cref="InitializeAnswer"/>).</summary>
    public Action<ScriptedCliConnection, JsonObject> OnSend { get; set; }

    /// <summary>The payload answered to <c>initialize</c>.</summary>
    public string InitializeAnswer { get; set; } = """{"claude_code_version":"2.1.328","account":{"tokenSource":"none","apiKeySource":"ANTHROPIC_API_KEY","apiProvider":"firstParty"}}""";

    /// <summary>Completes when the CLI may answer <c>initialize</c> (a process still starting holds it back).</summary>
    public Task InitializeGate { get; set; } = Task.CompletedTask;

    /// <summary>Every line written, in order (control requests included).</summary>
    public List<JsonObject> Sent { get; } = [];

    public bool Aborted { get; private set; }

    public bool ShutDown { get; private set; }

    public bool Disposed { get; private set; }

    public ChannelReader<CliMessage> Messages => this._messages.Reader;

    public Func<CliControlRequest, CancellationToken, Task<JsonNode?>>? ControlRequestHandler { get; set; }

    public Action<CliMessage>? MessageObserver { get; set; }

    public string StderrTail { get; set; } = string.Empty;

    public string StrayOutput { get; set; } = string.Empty;

    public int? ProcessId => 4242;

    public bool HasExited { get; set; }

    public DateTimeOffset? RetireAt { get; set; }

    public Microsoft.SemanticKernel.Connectors.ClaudeCode.Cli.Wire.CliResultMessage? LastResult { get; set; }


    public void Emit(string line)
    {
        var message = CliMessageParser.Parse(line);
        this.MessageObserver?.Invoke(message);
        this._messages.Writer.TryWrite(message);
    }

    public void EndOutput(Exception? error = null) => this._messages.Writer.TryComplete(error);

    public Task SendAsync(JsonNode message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var line = message.AsObject();
        lock (this.Sent)
        {
            this.Sent.Add((JsonObject)line.DeepClone());
        }

        this.OnSend(this, line);
        return Task.CompletedTask;
    }

    public async Task<JsonElement> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        await this.SendAsync(new JsonObject { ["type"] = "control_request", ["request"] = request.DeepClone() }, cancellationToken);
        var subtype = request["subtype"]?.GetValue<string>();
        if (subtype == "initialize")
        {
            await this.InitializeGate.WaitAsync(cancellationToken);
        }

        return subtype switch
        {
            "initialize" => JsonSerializer.Deserialize<JsonElement>(this.InitializeAnswer),
            _ => JsonSerializer.Deserialize<JsonElement>("{}"),
        };
    }

    public Task<int?> ShutdownAsync(TimeSpan gracePeriod)
    {
        this.ShutDown = true;
        return Task.FromResult<int?>(0);
    }

    public Task AbortAsync()
    {
        this.Aborted = true;
        this.EndOutput();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        this.Disposed = true;
        return ValueTask.CompletedTask;
    }
}
