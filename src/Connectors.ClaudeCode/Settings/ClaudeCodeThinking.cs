// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// Extended thinking for a request: adaptive (the model decides), enabled with a token budget, or disabled.
/// JSON: <c>{"type":"adaptive"}</c>, <c>{"type":"enabled","budget_tokens":4096}</c>, <c>{"type":"disabled"}</c>.
/// </summary>
public sealed class ClaudeCodeThinking
{
    /// <summary>The <see cref="Type"/> for model-decided thinking.</summary>
    public const string AdaptiveType = "adaptive";

    /// <summary>The <see cref="Type"/> for thinking with a fixed budget.</summary>
    public const string EnabledType = "enabled";

    /// <summary>The <see cref="Type"/> for no thinking.</summary>
    public const string DisabledType = "disabled";

    /// <summary><c>adaptive</c>, <c>enabled</c> or <c>disabled</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = AdaptiveType;

    /// <summary>The thinking budget in tokens (at least 1024), with <see cref="EnabledType"/>.</summary>
    [JsonPropertyName("budget_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BudgetTokens { get; set; }

    /// <summary>The model decides how much to think (<c>--thinking=adaptive</c>).</summary>
    /// <returns>A new configuration.</returns>
    public static ClaudeCodeThinking Adaptive() => new() { Type = AdaptiveType };

    /// <summary>Thinking with a budget (<c>--max-thinking-tokens</c>); adaptive-only models keep adaptive thinking.</summary>
    /// <param name="budgetTokens">The budget, at least 1024 tokens.</param>
    /// <returns>A new configuration.</returns>
    public static ClaudeCodeThinking Enabled(int budgetTokens) => new() { Type = EnabledType, BudgetTokens = budgetTokens };

    /// <summary>No thinking.</summary>
    /// <returns>A new configuration.</returns>
    public static ClaudeCodeThinking Disabled() => new() { Type = DisabledType };

    internal ClaudeCodeThinking Clone() => new() { Type = this.Type, BudgetTokens = this.BudgetTokens };
}
