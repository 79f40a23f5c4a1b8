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
/// <remarks>
/// Writing a message straight to the stream when nothing is queued (skipping the hand-over to the
/// pump's thread) was measured and not kept: over 1 GB through `run` (6 alternating runs each) the
/// Runner's CPU was 2.9-4.1 s queued and 3.0-4.5 s straight, its thread switches the same within
/// the noise. Most of its switches happen inside SocketsHttpHandler, which hands every 16 KiB DATA
/// frame to its own write loop, and in the spool watcher's thread, not here.
/// </remarks>
internal sealed class Outbox
{
    private readonly Channel<Queued> _channel;

    public Outbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _channel = Channel.CreateBounded<Queued>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Queues a message, waiting while the outbox is full.</summary>
    public ValueTask WriteAsync(RunnerMessage message, CancellationToken cancellationToken) =>
        WriteAsync(message, written: null, cancellationToken);

    /// <summary>
    /// Queues a message; <paramref name="written"/> runs once the stream has taken it (serialized
    /// it), which is when a buffer the message only wraps may be reused. It does not run when the
    /// message is never written (the connection ended first): the buffer is then left to the GC.
    /// </summary>
    public ValueTask WriteAsync(RunnerMessage message, Action? written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _channel.Writer.WriteAsync(new Queued(message, written), cancellationToken);
    }

    /// <summary>The single writer: sends queued messages in order until cancelled or the stream fails.</summary>
    public async Task PumpAsync(IClientStreamWriter<RunnerMessage> stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var queued in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(queued.Message, cancellationToken).ConfigureAwait(false);
            queued.Written?.Invoke();
        }
    }

    private readonly record struct Queued(RunnerMessage Message, Action? Written);
}
