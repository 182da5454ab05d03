// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode.Core.BuiltInTools;

/// <summary>
/// The built-in tools of the pinned CLI (2.1.328), read from the <c>tools</c> array of the Messages API request it
/// sends in print mode with every tool named in <c>--tools</c>. The CLI drops names it does not know without a word,
/// so the connector checks them itself.
/// </summary>
internal static class BuiltInToolNames
{
    /// <summary>Every built-in tool the pinned CLI offers in print mode (not in bare mode: see <see cref="InBareMode"/>).</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "Agent", "Bash", "CronCreate", "CronDelete", "CronList", "Edit", "EnterWorktree", "ExitWorktree", "Glob", "Grep",
        "ListAgents", "Monitor", "NotebookEdit", "Read", "ReportFindings", "ScheduleWakeup", "SendMessage", "Skill",
        "TaskCreate", "TaskGet", "TaskList", "TaskStop", "TaskUpdate", "WebFetch", "WebSearch", "Workflow", "Write",
    };

    /// <summary>The only built-in tools bare mode keeps, whatever <c>--tools</c> names (observed on 2.1.328).</summary>
    public static readonly IReadOnlySet<string> InBareMode = new HashSet<string>(StringComparer.Ordinal) { "Bash", "Edit", "Read" };

    /// <summary>The tools of <paramref name="names"/>, checked: throws <see cref="ArgumentException"/> naming the first unknown or blank name.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> names, string parameterName)
    {
        var checkedNames = new List<string>();
        foreach (var name in names)
        {
            if (name is null || !All.Contains(name))
            {
                throw new ArgumentException(
                    $"ClaudeCodeOptions.BuiltInTools names '{name}', which is not a built-in tool of Claude Code. Known tools: {string.Join(", ", All.Order(StringComparer.Ordinal))}.",
                    parameterName);
            }

            if (!checkedNames.Contains(name))
            {
                checkedNames.Add(name);
            }
        }

        return checkedNames;
    }

    /// <summary>The tool a request's web search enables.</summary>
    public const string WebSearch = "WebSearch";

    /// <summary><paramref name="tools"/> with <see cref="WebSearch"/> added when it is not among them.</summary>
    public static IReadOnlyList<string> WithWebSearch(IEnumerable<string> tools)
        => tools.Contains(WebSearch, StringComparer.Ordinal) ? [.. tools] : [.. tools, WebSearch];

    /// <summary>Flag settings (<c>--settings</c>) whose <c>ask</c> rules make every call of <paramref name="tools"/> a permission prompt.</summary>
    public static string AskRules(IEnumerable<string> tools)
    {
        var ask = new JsonArray();
        foreach (var tool in tools)
        {
            ask.Add(tool);
        }

        return new JsonObject { ["permissions"] = new JsonObject { ["ask"] = ask } }.ToJsonString();
    }
}
