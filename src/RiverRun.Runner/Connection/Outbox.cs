using System.Threading.Channels;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Connection;

/// <summary>
/// Everything one connection sends, in one bounded queue with one writer to the request stream.
/// Writers (heartbeats, acks, output senders) wait when it is full, which is what keeps a fast
/// task's output from piling up in memory behind a slow link.
/// </summary>
internal sealed class Outbox
{
    private readonly Channel<RunnerMessage> _channel;

    public Outbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _channel = Channel.CreateBounded<RunnerMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Queues a message, waiting while the outbox is full.</summary>
    public ValueTask WriteAsync(RunnerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _channel.Writer.WriteAsync(message, cancellationToken);
    }

    /// <summary>The single writer: sends queued messages in order until cancelled or the stream fails.</summary>
    public async Task PumpAsync(IClientStreamWriter<RunnerMessage> stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var message in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
