// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.Examples;

/// <summary>
/// Where an example's requests go: Claude itself through the user's Claude Code login, or, without a login or with
/// <c>--offline</c>, the bundled fake Messages API answering as the example scripts it. Every example starts with
/// this, so they all behave the same way on a machine with or without a login.
/// </summary>
internal sealed class ExampleBackend : IAsyncDisposable
{
    /// <summary>The model named in offline requests; the fake answers as whatever model it is asked for.</summary>
    public const string OfflineModel = "claude-sonnet-4-5";

    private readonly string? _offlineHome;

    private ExampleBackend(string? modelId, FakeMessagesApi? fake, string? offlineHome)
    {
        this.ModelId = modelId;
        this.Fake = fake;
        this._offlineHome = offlineHome;
    }

    /// <summary>The model to ask for: <c>--model</c> (null for the CLI's default) when live, <see cref="OfflineModel"/> offline.</summary>
    public string? ModelId { get; }

    /// <summary>The fake Messages API when offline, null when live.</summary>
    public FakeMessagesApi? Fake { get; }

    /// <summary>Whether this run talks to the fake instead of Claude.</summary>
    public bool IsOffline => this.Fake is not null;

    /// <summary>
    /// Decides the mode from <paramref name="args"/> (<c>--offline</c>, <c>--model NAME</c>) and the user's login, says
    /// which on the console, and starts the fake with <paramref name="offlineResponder"/> when offline.
    /// </summary>
    public static async Task<ExampleBackend> StartAsync(string[] args, Func<RecordedRequest, FakeResponse> offlineResponder)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(offlineResponder);
        var forceOffline = args.Contains("--offline");
        var model = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault();

        if (!forceOffline && await ClaudeCodeLoginProbe.IsLoggedInAsync(model))
        {
            Console.WriteLine("Mode: live, using your Claude Code login.");
            return new ExampleBackend(model, fake: null, offlineHome: null);
        }

        var fake = await FakeMessagesApi.StartAsync();
        fake.Responder = offlineResponder;

        // A HOME of its own keeps the CLI away from the user's settings and login while offline.
        var home = Directory.CreateTempSubdirectory("claude-example-").FullName;
        Console.WriteLine(forceOffline
            ? $"Mode: offline (--offline), against the bundled fake Messages API at {fake.BaseUrl}."
            : $"Mode: offline. No Claude Code login was found, so this runs against the bundled fake Messages API at {fake.BaseUrl}. Log in with 'claude' (/login) to talk to Claude.");
        return new ExampleBackend(OfflineModel, fake, home);
    }

    /// <summary>Points the connector at the fake when offline; leaves the options alone when live.</summary>
    public void Configure(ClaudeCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (this.Fake is null)
        {
            return;
        }

        // The fake answers at once: retrying a scripted answer would only slow the example down.
        options.MaxRetries = 0;
        var environment = options.EnvironmentVariables;
        environment["ANTHROPIC_BASE_URL"] = this.Fake.BaseUrl.ToString().TrimEnd('/');
        environment["ANTHROPIC_API_KEY"] = "sk-ant-offline-example";
        environment["HOME"] = this._offlineHome;
        environment["USERPROFILE"] = this._offlineHome;
        environment["CLAUDE_CONFIG_DIR"] = Path.Combine(this._offlineHome!, ".claude");

        // Whatever else the machine is logged into must not take the requests away from the fake.
        environment["ANTHROPIC_AUTH_TOKEN"] = null;
        environment["CLAUDE_CODE_OAUTH_TOKEN"] = null;
        environment["CLAUDE_CODE_USE_BEDROCK"] = null;
        environment["CLAUDE_CODE_USE_VERTEX"] = null;
        environment["CLAUDE_CODE_USE_FOUNDRY"] = null;
        environment["ANTHROPIC_MODEL"] = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (this.Fake is not null)
        {
            await this.Fake.DisposeAsync();
        }

        if (this._offlineHome is not null)
        {
            try
            {
                Directory.Delete(this._offlineHome, recursive: true);
            }
            catch (IOException)
            {
                // A CLI still writing its cache there as it exits: the temp folder is cleaned up by the system later.
            }
        }
    }
}
