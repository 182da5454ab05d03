// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Text.Json;

namespace Microsoft.SemanticKernel.Connectors.ClaudeCode;

/// <summary>
/// The app's decision on a built-in tool call (<see cref="ClaudeCodeOptions.ToolPermission"/>): run it as asked, run it
/// with other input, or refuse it with a reason the model reads.
/// </summary>
public sealed class ClaudeCodeToolPermissionResult
{
    private ClaudeCodeToolPermissionResult(bool isAllowed, JsonElement? updatedInput, string? denyReason)
    {
        this.IsAllowed = isAllowed;
        this.UpdatedInput = updatedInput;
        this.DenyReason = denyReason;
    }

    /// <summary>Whether the call runs.</summary>
    public bool IsAllowed { get; }

    /// <summary>The input the call runs with instead of the model's, when the app changed it.</summary>
    public JsonElement? UpdatedInput { get; }

    /// <summary>Why the call was refused; the model receives it as the tool's error result.</summary>
    public string? DenyReason { get; }

    /// <summary>Lets the call run with the model's input.</summary>
    public static ClaudeCodeToolPermissionResult Allow() => new(isAllowed: true, updatedInput: null, denyReason: null);

    /// <summary>Lets the call run with <paramref name="updatedInput"/> (a JSON object) instead of the model's input.</summary>
    public static ClaudeCodeToolPermissionResult Allow(JsonElement updatedInput)
    {
        if (updatedInput.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The updated input of a tool call must be a JSON object.", nameof(updatedInput));
        }

        return new(isAllowed: true, updatedInput.Clone(), denyReason: null);
    }

    /// <summary>Refuses the call; the model receives <paramref name="reason"/> as the tool's error result and the turn goes on.</summary>
    public static ClaudeCodeToolPermissionResult Deny(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(isAllowed: false, updatedInput: null, reason);
    }
}
