// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.ClaudeCode;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Services;

/// <summary>Bad arguments and a disposed service fail before any process starts.</summary>
public sealed class EntryPointTests
{
    private static ScriptedConnectionFactory Factory() => new(new ScriptedCliConnection());

    [Fact]
    public async Task NullOrEmptyArgumentsAreRefusedNamingTheParameterAsync()
    {
        var factory = Factory();
        await using var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);
        using var client = new ClaudeCodeChatClient("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);

        Assert.Equal("chatHistory", (await Assert.ThrowsAsync<ArgumentNullException>(() => service.GetChatMessageContentsAsync(null!))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentsAsync([]));
        Assert.Equal("messages", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetResponseAsync((ChatMessage[])null!))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Array.Empty<ChatMessage>()));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in service.GetStreamingChatMessageContentsAsync(null!))
            {
            }
        });
        Assert.Throws<ArgumentException>(() => new ClaudeCodeChatCompletionService(" "));
        Assert.Empty(factory.Specs);
    }

    [Fact]
    public async Task ADisposedServiceThrowsObjectDisposedExceptionAsync()
    {
        var factory = Factory();
        var service = new ClaudeCodeChatCompletionService("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);
        var client = new ClaudeCodeChatClient("m", new ClaudeCodeOptions { CliPath = Environment.ProcessPath, WarmProcesses = 0 }, null, factory);
        await service.DisposeAsync();
        await service.DisposeAsync();
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => service.GetChatMessageContentsAsync(new ChatHistory { new Microsoft.SemanticKernel.ChatMessageContent(AuthorRole.User, "hi") }));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetResponseAsync("hi"));
        Assert.Empty(factory.Specs);
    }
}
