using System.Threading.Channels;
using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Output;

/// <summary>One watcher's queue of a task's freshly stored chunks (see <see cref="OutputFeed"/>).</summary>
public sealed class OutputSubscription : IDisposable
{
    private readonly Action<OutputSubscription> _unsubscribe;
    private int _missed;
    private readonly Channel<V1.OutputChunk> _chunks = Channel.CreateBounded<V1.OutputChunk>(new BoundedChannelOptions(OutputFeed.QueuedChunks)
    {
        // Wait would make TryWrite fail when full (what Offer needs to notice): the watcher then
        // learns of the miss from TakeMissed or the next chunk's offset, and reads the file.
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = false,
    });

    internal OutputSubscription(TaskId id, Action<OutputSubscription> unsubscribe)
    {
        TaskId = id;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The task followed.</summary>
    public TaskId TaskId { get; }

    /// <summary>The next queued chunk, if any.</summary>
    public bool TryRead(out V1.OutputChunk chunk) => _chunks.Reader.TryRead(out chunk!);

    /// <summary>
    /// True (once) when chunks were dropped because the queue was full since the last call: the
    /// watcher must read the file for them, even if no later chunk comes to show the gap.
    /// </summary>
    public bool TakeMissed() => Interlocked.Exchange(ref _missed, 0) != 0;

    /// <summary>Completes when a chunk is queued.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _chunks.Reader.WaitToReadAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _unsubscribe(this);
        _chunks.Writer.TryComplete();
    }

    internal void Offer(V1.OutputChunk chunk)
    {
        if (!_chunks.Writer.TryWrite(chunk))
        {
            Volatile.Write(ref _missed, 1);
        }
    }
}
