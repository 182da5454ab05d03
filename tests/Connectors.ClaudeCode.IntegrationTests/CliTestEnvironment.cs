// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

namespace Connectors.ClaudeCode.IntegrationTests;

/// <summary>
/// One test's world: a fake Messages API, a fresh HOME and working directory, and options that point the
/// repository's pinned CLI at them with a throwaway key. Nothing reaches the real API or reads real credentials.
/// </summary>
internal sealed class CliTestEnvironment : IAsyncDisposable
{
    public const string TestModel = "claude-sonnet-4-5";

    private readonly List<IAsyncDisposable> _services = [];

    private CliTestEnvironment(FakeMessagesApi api, string root)
    {
        this.Api = api;
        this.Root = root;
        this.Home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        this.WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
    }

    public FakeMessagesApi Api { get; }

    public string Root { get; }

    public string Home { get; }

    public string WorkingDirectory { get; }

    public static async Task<CliTestEnvironment> StartAsync()
    {
        var api = await FakeMessagesApi.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "cc-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new CliTestEnvironment(api, root);
    }

    /// <summary>For tests that count a call's own processes: no ready process is started beside them.</summary>
    public static void WithoutReadyProcesses(ClaudeCodeOptions options) => options.WarmProcesses = 0;

    /// <summary>Options for the pinned CLI against the fake. <paramref name="apiKey"/> null leaves the CLI without credentials.</summary>
    public ClaudeCodeOptions CreateOptions(string? apiKey = "sk-ant-test")
    {
        var options = new ClaudeCodeOptions
        {
            CliPath = PinnedCli.Path,
            WorkingDirectory = this.WorkingDirectory,
            MaxRetries = 0,
        };
        var env = options.EnvironmentVariables;
        env["HOME"] = this.Home;
        env["USERPROFILE"] = this.Home;
        env["CLAUDE_CONFIG_DIR"] = Path.Combine(this.Home, ".claude");
        env["XDG_CONFIG_HOME"] = Path.Combine(this.Home, ".config");
        env["ANTHROPIC_BASE_URL"] = this.Api.BaseUrl.ToString().TrimEnd('/');
        env["ANTHROPIC_API_KEY"] = apiKey;

        // Whatever the developer's machine is logged into must not leak into a test.
        env["ANTHROPIC_AUTH_TOKEN"] = null;
        env["CLAUDE_CODE_OAUTH_TOKEN"] = null;
        env["CLAUDE_CODE_USE_BEDROCK"] = null;
        env["CLAUDE_CODE_USE_VERTEX"] = null;
        env["ANTHROPIC_MODEL"] = null;
        return options;
    }

    public ClaudeCodeChatCompletionService CreateService(string? modelId = TestModel, Action<ClaudeCodeOptions>? configure = null)
    {
        var options = this.CreateOptions();
        configure?.Invoke(options);
        return this.Own(new ClaudeCodeChatCompletionService(modelId, options));
    }

    /// <summary>Disposes <paramref name="service"/> with the environment, ending its live sessions.</summary>
    public T Own<T>(T service)
        where T : IAsyncDisposable
    {
        lock (this._services)
        {
            this._services.Add(service);
        }

        return service;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in this._services)
        {
            await service.DisposeAsync();
        }

        await this.Api.DisposeAsync();
        try
        {
            Directory.Delete(this.Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
