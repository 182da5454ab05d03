// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// FolderQuestions: an SK chat that answers questions about one folder with Claude Code's own Read and Grep tools,
// each call passing through the app's permission callback, which allows reads inside the folder only.
//
//   dotnet run --project examples/FolderQuestions -- --folder PATH   asks about PATH (default: a small sample folder)
//   dotnet run --project examples/FolderQuestions -- --offline       runs against the bundled fake Messages API

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Connectors.ClaudeCode.Examples;
using Connectors.ClaudeCode.FakeAnthropic;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;

var named = args.SkipWhile(a => a != "--folder").Skip(1).FirstOrDefault();

// Without --folder: a sample folder, with a file beside it that the model will try, and must fail, to read.
var sample = named is null ? Directory.CreateTempSubdirectory("folder-questions-").FullName : null;
var folder = Path.GetFullPath(named ?? Path.Combine(sample!, "project"));
var outside = Path.Combine(sample ?? Path.GetTempPath(), "secrets.txt");
if (sample is not null)
{
    Directory.CreateDirectory(Path.Combine(folder, "src"));
    File.WriteAllText(Path.Combine(folder, "README.md"), "# Lighthouse\nLighthouse turns tide tables into calendar events.\n");
    File.WriteAllText(Path.Combine(folder, "src", "Tides.cs"), "// TODO: handle leap seconds\nclass Tides { }\n");
    File.WriteAllText(outside, "db password: hunter2\n");
}

try
{
    await using var backend = await ExampleBackend.StartAsync(args, request => OfflineAnswer(request, folder, outside));
    var kernel = Kernel.CreateBuilder()
        .AddClaudeCodeChatCompletion(backend.ModelId, options =>
        {
            backend.Configure(options);

            // The built-in tools act in the working directory; only these two are offered, and every call is decided below.
            options.WorkingDirectory = folder;
            options.BuiltInTools.Add("Read");
            options.BuiltInTools.Add("Grep");
            options.ToolPermission = (request, cancellationToken) => ValueTask.FromResult(Decide(request, folder));
        })
        .Build();
    await using var kernelServices = kernel.Services as IAsyncDisposable;
    var chat = kernel.GetRequiredService<IChatCompletionService>();

    var history = new ChatHistory("You answer questions about the files in your working directory. Use Read and Grep; be brief.");
    history.AddUserMessage("What is this project, and what is left to do? Also show me secrets.txt next to it.");
    var answer = await chat.GetChatMessageContentAsync(history);

    // What already ran inside the turn: shown, never invoked again.
    if (answer.Metadata?.TryGetValue(ClaudeCodeMetadataKeys.BuiltInToolCalls, out var value) == true && value is IReadOnlyList<FunctionCallContent> calls)
    {
        foreach (var call in calls)
        {
            Console.WriteLine($"[tool call] {call.FunctionName} {call.Id}: allowed={call.Metadata?["Allowed"]}, error={call.Metadata?.GetValueOrDefault("IsError")}");
        }
    }

    Console.WriteLine();
    Console.WriteLine(answer.Content);
    return 0;
}
catch (ClaudeCodeException ex)
{
    Console.Error.WriteLine($"Claude Code failed: {ex.Message}");
    return 1;
}
finally
{
    if (sample is not null)
    {
        Directory.Delete(sample, recursive: true);
    }
}

// Allows Read and Grep inside the folder only, printing each decision. (A real app would also resolve symbolic links.)
static ClaudeCodeToolPermissionResult Decide(ClaudeCodeToolPermissionRequest request, string folder)
{
    var key = request.ToolName == "Read" ? "file_path" : "path";
    var target = request.Input.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : folder;
    var full = Path.GetFullPath(target, folder);
    var inside = full == folder || full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    Console.WriteLine($"[{(inside ? "allow" : "deny")}] {request.ToolName} {full}");
    return inside
        ? ClaudeCodeToolPermissionResult.Allow()
        : ClaudeCodeToolPermissionResult.Deny($"{full} is outside the folder this app lets you read.");
}

// Offline: the model reads the README and the file outside the folder, then greps for TODO, then sums up what it got.
static FakeResponse OfflineAnswer(RecordedRequest request, string folder, string outside)
{
    var results = request.Messages.SelectMany(m => m["content"] as System.Text.Json.Nodes.JsonArray ?? [])
        .OfType<System.Text.Json.Nodes.JsonObject>()
        .Where(b => b["type"]?.GetValue<string>() == "tool_result")
        .ToList();
    return results.Count switch
    {
        0 => FakeResponse.ToolCalls(
            "Let me look.",
            ("toolu_readme", "Read", JsonSerializer.Serialize(new { file_path = Path.Combine(folder, "README.md") })),
            ("toolu_secret", "Read", JsonSerializer.Serialize(new { file_path = outside }))),
        2 => FakeResponse.ToolCalls(null, ("toolu_todo", "Grep", JsonSerializer.Serialize(new { pattern = "TODO", path = folder, output_mode = "content" }))),
        _ => FakeResponse.Text("Offline answer from what the tools returned:\n" + string.Join("\n", results.Select(r => $"- {r["tool_use_id"]}: {Flatten(RecordedRequest.ResultText(r))}"))),
    };
}

static string Flatten(string text) => string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
