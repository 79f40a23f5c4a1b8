using System.Threading.Channels;
using Google.Protobuf;
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
        // A copy, as the real stream serializes the message before its write completes: a chunk's
        // pooled buffer is reused once the write returns.
        _messages.Writer.TryWrite(RunnerMessage.Parser.ParseFrom(message.ToByteArray()));
        return Task.CompletedTask;
    }

    public Task CompleteAsync() => Task.CompletedTask;

    /// <summary>The next message if one was sent already.</summary>
    public bool TryNext(out RunnerMessage message) => _messages.Reader.TryRead(out message!);

    /// <summary>The next message sent; fails the test after a generous deadline.</summary>
    public async Task<RunnerMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _messages.Reader.ReadAsync(timeout.Token);
    }
}
