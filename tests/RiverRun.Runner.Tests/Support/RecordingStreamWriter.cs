using System.Threading.Channels;
using Grpc.Core;
using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Tests;

/// <summary>Stands in for the request stream: keeps what the outbox pump sends, in order.</summary>
internal sealed class RecordingStreamWriter : IClientStreamWriter<RunnerMessage>
{
    private readonly Channel<RunnerMessage> _messages = Channel.CreateUnbounded<RunnerMessage>();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(RunnerMessage message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(RunnerMessage message, CancellationToken cancellationToken)
    {
        _messages.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public Task CompleteAsync() => Task.CompletedTask;

    /// <summary>The next message sent; fails the test after a generous deadline.</summary>
    public async Task<RunnerMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _messages.Reader.ReadAsync(timeout.Token);
    }
}
