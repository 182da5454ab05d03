// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// How the connector starts and talks to the Claude Code CLI. Every default isolates the call from the
/// user's Claude Code set-up (no built-in tools, no settings files, no session files); each can be changed.
/// </summary>
public sealed class ClaudeCodeOptions
{
    /// <summary>
    /// Path of the <c>claude</c> executable. When null: the <c>CLAUDE_CODE_CLI_PATH</c> environment variable,
    /// then a repository-local install in <c>.claude-cli/</c>, then <c>PATH</c>, then the usual install folders.
    /// </summary>
    public string? CliPath { get; set; }

    /// <summary>
    /// Working directory of the CLI process. Null (default) runs it in an empty directory the connector creates for
    /// the service and removes on dispose, so that nothing of the app's directory (its path, whether it is a git
    /// repository, a <c>CLAUDE.md</c>) reaches the request. Set <c>Environment.CurrentDirectory</c> for Claude Code's own behaviour.
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Whether the CLI runs in bare mode, which removes Claude Code's environment, model and date reminders from the
    /// request. <see cref="ClaudeCodeBareMode.Auto"/> (default) uses it whenever the login allows it (an API key, an
    /// <c>apiKeyHelper</c>, a cloud provider) and not with a subscription login, which bare mode refuses.
    /// </summary>
    public ClaudeCodeBareMode BareMode { get; set; } = ClaudeCodeBareMode.Auto;

    /// <summary>
    /// When false (default) Claude Code's <c>&lt;total_tokens&gt;</c> reminders, which it otherwise adds to user messages
    /// and to every function result, are left out (<c>CLAUDE_CODE_TOTAL_TOKENS_REMINDER=off</c>). The CLI adds them to a
    /// user message only when it reads the message as typed input (<see cref="TreatMessagesAsTypedInput"/>).
    /// </summary>
    public bool IncludeTokenBudgetReminders { get; set; }

    /// <summary>
    /// When false (default) user messages reach the model as written. True lets the CLI read them as input typed into
    /// Claude Code: a message that starts with '/' runs one of its commands instead of a model request ("/cost" answers
    /// with its cost report, "/clear" drops the conversation so far), an "@path" attaches that file's contents (in
    /// normal mode), and its per-turn additions are made to the message (the token reminders among them). Do not turn
    /// it on for messages from users you do not trust with your files.
    /// </summary>
    public bool TreatMessagesAsTypedInput { get; set; }

    /// <summary>
    /// When true (default) a request that does not ask for thinking (no <see cref="ClaudeCodePromptExecutionSettings.Thinking"/>,
    /// no <see cref="ClaudeCodePromptExecutionSettings.ReasoningEffort"/>) is sent with thinking disabled, as the Messages API
    /// itself does. False leaves it to Claude Code, which thinks with a budget of about 32,000 tokens on most models.
    /// </summary>
    public bool DisableThinkingByDefault { get; set; } = true;

    /// <summary>
    /// Environment variables set for the CLI on top of the inherited environment (so <c>ANTHROPIC_BASE_URL</c>,
    /// <c>ANTHROPIC_API_KEY</c> and <c>CLAUDE_CODE_OAUTH_TOKEN</c> work as for the CLI itself). A null value
    /// removes an inherited variable.
    /// </summary>
    public IDictionary<string, string?> EnvironmentVariables { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The model used when neither the service nor the request settings name one; null leaves the choice to the CLI.</summary>
    public string? ModelId { get; set; }

    /// <summary>Extra arguments appended to the CLI command line, one token per entry (an escape hatch for flags the connector does not map).</summary>
    public IList<string> AdditionalCliArguments { get; } = [];

    /// <summary>
    /// How many times the CLI retries a failed API request (<c>CLAUDE_CODE_MAX_RETRIES</c>): 2 by default, as the
    /// Anthropic and OpenAI SDKs do. Each retry is logged as a warning, counted in the answer's <c>ApiRetries</c>
    /// metadata and on a final error (with the delay the CLI announced, from the API's <c>retry-after</c>). 0 fails at
    /// once, leaving retries to the caller's policy; null keeps the CLI's own default (10 retries over about three
    /// minutes for 429/500/401).
    /// </summary>
    public int? MaxRetries { get; set; } = 2;

    /// <summary>
    /// The longest a whole call may take; null (default) for no limit. A call that runs out ends its CLI process and
    /// throws <see cref="ClaudeCodeTimeoutException"/>.
    /// </summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>What to do with execution settings Claude cannot honour: warn and ignore them (default), or throw.</summary>
    public ClaudeCodeUnsupportedParameterPolicy UnsupportedParameterPolicy { get; set; } = ClaudeCodeUnsupportedParameterPolicy.WarnAndIgnore;

    /// <summary>
    /// The most rounds of automatically invoked function calls in one request (SK's other connectors use 128). Past it
    /// the model is told that functions are disabled and must answer without them.
    /// </summary>
    public int MaximumAutoInvokeAttempts { get; set; } = 128;

    /// <summary>
    /// How deep auto-invoked functions may nest calls back into the connector (a function that itself chats with
    /// function calling). Each level holds a CLI process, so runaway recursion is stopped here: at this depth the
    /// request offers no functions (with a warning in the log).
    /// </summary>
    public int MaximumNestedAutoInvokeDepth { get; set; } = 8;

    /// <summary>Function results longer than this many characters are cut, with a note saying so, before the model sees them.</summary>
    public int MaxFunctionResultLength { get; set; } = 100_000;

    /// <summary>
    /// How many ready processes the service keeps started ahead for new conversations (default 1). A ready process is
    /// spawned before any request, with none of its settings, and takes the request's system prompt, model, tools,
    /// thinking, output limit and sampling settings through the control protocol, so a new conversation skips the
    /// CLI's start-up (about 0.3 s). A replacement starts once no call has started or ended for 100 ms (so that its
    /// start does not slow a conversation's back-to-back turns), at once when a new conversation finds none ready while
    /// one waits for that (on a free permit only), and, when calls come back to back (a call took a ready process still
    /// starting), beside the call that took it, ending the least recently used idle live session if the budget is
    /// spent; always within <see cref="MaxProcesses"/>. The first ones start once the service is quiet after its first
    /// call, or at <c>WarmUpAsync</c>. Requests that need a flag fixed at start-up (effort, adaptive thinking, max turns,
    /// budget, fallback model, a response format) start their own process. 0 turns ready processes off.
    /// </summary>
    public int WarmProcesses { get; set; } = 1;

    /// <summary>How long a ready process may wait unused before it ends (the next call's end starts another).</summary>
    public TimeSpan WarmProcessIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most calls (each a CLI process of roughly 200 MB) that run at once through one service; further callers
    /// wait for a free slot, and can cancel while they wait. Null (default) sets no limit. Calls made by functions
    /// that are being auto-invoked do not wait, since their caller holds a slot already.
    /// </summary>
    public int? MaxConcurrentCalls { get; set; }

    /// <summary>
    /// The most CLI processes one service runs at once: calls in flight plus live sessions (each roughly 170 MB).
    /// When all are in use, the least recently used live session ends to make room; when none is idle, callers wait
    /// in line and can cancel. Default: twice the processor count, between 8 and 16 (8 conversations at once keep
    /// their processes on a small machine; about 1.4–2.7 GB of memory at most).
    /// </summary>
    public int MaxProcesses { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 8, 16);

    /// <summary>
    /// How many conversations may keep their CLI process between calls (live sessions), so that a follow-up call
    /// sends only its new messages instead of starting a process and replaying the history. 0 turns live sessions
    /// off: every call then starts and ends its own process. Default 8 (within <see cref="MaxProcesses"/>); the least
    /// recently used ends first.
    /// </summary>
    public int MaxLiveSessions { get; set; } = 8;

    /// <summary>How long a live session may wait for its continuation before its process ends. Default 5 minutes.</summary>
    public TimeSpan LiveSessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a live session may wait for its continuation after its conversation's first call (a history with no
    /// earlier answer, and no function results awaited); from its second call on, or when the first call already
    /// carried earlier answers, <see cref="LiveSessionIdleTimeout"/> applies. Default 1 minute: apps that make one-off
    /// calls would otherwise hold a CLI process (~170-200 MB) per call for the full idle timeout. A conversation whose
    /// second call comes later is replayed into a new process (~0.1 s more on a ready process, a CLI start without one).
    /// Must be positive or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>; a value not shorter than
    /// <see cref="LiveSessionIdleTimeout"/> means one timeout for all.
    /// </summary>
    public TimeSpan SingleCallSessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait for the CLI to start and answer the <c>initialize</c> request.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long, once the CLI has started, to wait for it to connect to a request's MCP servers
    /// (<see cref="ClaudeCodePromptExecutionSettings.McpServers"/>) before the call fails with
    /// <see cref="ClaudeCodeMcpServerException"/>. Default 30 seconds (the CLI's own limit).
    /// </summary>
    public TimeSpan McpConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the service times its processes with (tests set a manual one).</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long no call must have started or ended before ready processes are topped up after a call (see
    /// <see cref="WarmProcesses"/>): long enough to span the gap between a conversation's back-to-back turns.
    /// </summary>
    internal TimeSpan ReadyProcessQuietDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a finished or interrupted CLI may take to exit before it is killed. Idle processes (live sessions, ready
    /// processes) are killed at once unless <see cref="PersistSessions"/> is on, since they hold nothing to save.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a cancelled call waits for the CLI to acknowledge <c>interrupt</c> before killing it.</summary>
    public TimeSpan InterruptGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When true (default) Claude Code's built-in tools (Bash, Read, Edit, WebFetch, …) are removed (<c>--tools ""</c>),
    /// so the model acts as a chat model. Set false to give it all of Claude Code's own agent tools under the CLI's own
    /// permission rules. Ignored when <see cref="BuiltInTools"/> names tools: that list wins, with every call decided by
    /// <see cref="ToolPermission"/>.
    /// </summary>
    public bool DisableBuiltInTools { get; set; } = true;

    /// <summary>
    /// Claude Code's built-in tools the model may call (e.g. <c>Read</c>, <c>Grep</c>, <c>Glob</c>, <c>Edit</c>, <c>Write</c>,
    /// <c>Bash</c>, <c>WebFetch</c>, <c>WebSearch</c>); empty (default) for none. They act in <see cref="WorkingDirectory"/>
    /// (which must exist; null is the service's empty scratch directory), and every call passes through
    /// <see cref="ToolPermission"/>. A name the CLI does not know throws <see cref="ArgumentException"/> when the service
    /// is created. Any tool other than Bash, Edit and Read needs Claude Code's normal mode, since bare mode removes it:
    /// <see cref="ClaudeCodeBareMode.Auto"/> then chooses normal mode. Takes precedence over <see cref="DisableBuiltInTools"/>.
    /// </summary>
    public IList<string> BuiltInTools { get; } = [];

    /// <summary>
    /// Decides every call of a <see cref="BuiltInTools"/> tool, and every call of a request's MCP server tool that needs
    /// approval (<see cref="ClaudeCodeMcpServer.RequireApproval"/>, <c>HostedMcpServerTool.ApprovalMode</c>), before it
    /// runs: allow, allow with edited input, or deny with a reason the model reads. Null (default) denies every such
    /// call, telling the model why. A callback that throws
    /// denies the call (the exception is logged as a warning) and the turn goes on.
    /// </summary>
    public Func<ClaudeCodeToolPermissionRequest, CancellationToken, ValueTask<ClaudeCodeToolPermissionResult>>? ToolPermission { get; set; }

    /// <summary>
    /// When true (default) no settings files are read (<c>--setting-sources=</c>): the user's CLAUDE.md, hooks, plugins
    /// and MCP servers do not leak into the call.
    /// </summary>
    public bool IgnoreUserSettings { get; set; } = true;

    /// <summary>When false (default) the CLI writes no session transcript (<c>--no-session-persistence</c>).</summary>
    public bool PersistSessions { get; set; }

    /// <summary>When true (default) the CLI makes no telemetry or other non-essential requests.</summary>
    public bool DisableNonEssentialTraffic { get; set; } = true;

    /// <summary>
    /// When true, the CLI asks for no prompt caching (<c>DISABLE_PROMPT_CACHING=1</c>: the request carries no
    /// <c>cache_control</c> markers). Default false: caching stays on, which makes repeated prefixes (system prompt,
    /// history, documents) cheaper; turn it off when nothing repeats and cache writes would only cost.
    /// </summary>
    public bool DisablePromptCaching { get; set; }

    /// <summary>System prompts longer than this many characters go to the CLI in a temporary file instead of on the command line.</summary>
    public int SystemPromptFileThreshold { get; set; } = 8_000;

    /// <summary>
    /// A Microsoft Foundry endpoint (e.g. <c>https://my-resource.services.ai.azure.com/anthropic</c>). When set, the CLI
    /// talks to Foundry (<c>CLAUDE_CODE_USE_FOUNDRY=1</c>, <c>ANTHROPIC_FOUNDRY_BASE_URL</c>) and runs in bare mode; the
    /// model id is the Foundry deployment name. Must be an absolute https URL (http only for a loopback address).
    /// </summary>
    public Uri? FoundryEndpoint { get; set; }

    /// <summary>
    /// The Azure credential for <see cref="FoundryEndpoint"/>. Tokens are taken from it for
    /// <see cref="FoundryTokenScope"/>, cached and refreshed before they expire, and handed to each CLI process it
    /// starts (<c>ANTHROPIC_FOUNDRY_AUTH_TOKEN</c>); a process whose token would expire within a call's time
    /// (<see cref="RequestTimeout"/>, else 10 minutes) is not used again. When null, the CLI uses its own Azure
    /// credential chain.
    /// </summary>
    public TokenCredential? FoundryCredential { get; set; }

    /// <summary>The scope asked of <see cref="FoundryCredential"/>.</summary>
    public string FoundryTokenScope { get; set; } = "https://cognitiveservices.azure.com/.default";

    /// <summary>Returns a copy that later changes to this instance do not affect.</summary>
    public ClaudeCodeOptions Clone()
    {
        var copy = new ClaudeCodeOptions
        {
            CliPath = this.CliPath,
            WorkingDirectory = this.WorkingDirectory,
            BareMode = this.BareMode,
            IncludeTokenBudgetReminders = this.IncludeTokenBudgetReminders,
            TreatMessagesAsTypedInput = this.TreatMessagesAsTypedInput,
            DisableThinkingByDefault = this.DisableThinkingByDefault,
            ModelId = this.ModelId,
            MaxRetries = this.MaxRetries,
            RequestTimeout = this.RequestTimeout,
            UnsupportedParameterPolicy = this.UnsupportedParameterPolicy,
            MaximumAutoInvokeAttempts = this.MaximumAutoInvokeAttempts,
            MaxFunctionResultLength = this.MaxFunctionResultLength,
            MaximumNestedAutoInvokeDepth = this.MaximumNestedAutoInvokeDepth,
            WarmProcesses = this.WarmProcesses,
            MaxConcurrentCalls = this.MaxConcurrentCalls,
            MaxProcesses = this.MaxProcesses,
            MaxLiveSessions = this.MaxLiveSessions,
            LiveSessionIdleTimeout = this.LiveSessionIdleTimeout,
            SingleCallSessionIdleTimeout = this.SingleCallSessionIdleTimeout,
            WarmProcessIdleTimeout = this.WarmProcessIdleTimeout,
            StartupTimeout = this.StartupTimeout,
            McpConnectTimeout = this.McpConnectTimeout,
            Clock = this.Clock,
            ReadyProcessQuietDelay = this.ReadyProcessQuietDelay,
            ShutdownGracePeriod = this.ShutdownGracePeriod,
            InterruptGracePeriod = this.InterruptGracePeriod,
            DisableBuiltInTools = this.DisableBuiltInTools,
            ToolPermission = this.ToolPermission,
            IgnoreUserSettings = this.IgnoreUserSettings,
            PersistSessions = this.PersistSessions,
            DisableNonEssentialTraffic = this.DisableNonEssentialTraffic,
            DisablePromptCaching = this.DisablePromptCaching,
            SystemPromptFileThreshold = this.SystemPromptFileThreshold,
            FoundryEndpoint = this.FoundryEndpoint,
            FoundryCredential = this.FoundryCredential,
            FoundryTokenScope = this.FoundryTokenScope,
        };
        foreach (var pair in this.EnvironmentVariables)
        {
            copy.EnvironmentVariables[pair.Key] = pair.Value;
        }

        foreach (var argument in this.AdditionalCliArguments)
        {
            copy.AdditionalCliArguments.Add(argument);
        }

        foreach (var tool in this.BuiltInTools)
        {
            copy.BuiltInTools.Add(tool);
        }

        return copy;
    }
}
