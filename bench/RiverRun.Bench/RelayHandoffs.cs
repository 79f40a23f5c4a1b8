using System.Collections.Concurrent;
using System.Threading.Channels;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// Where the relay's Send hands a task's chunks to its Receive: one bounded channel per task id,
/// made by whichever call comes first. The chunk objects themselves pass through, so the bytes
/// gRPC parsed on the way in are the bytes it writes on the way out (no copy in between).
/// </summary>
internal sealed class RelayHandoffs
{
    // As many chunks in flight as a Runner may have unacknowledged (OutputFlow): a full channel
    // holds Send back, and with it the producer, as the Host's acknowledgements would.
    private const int Capacity = OutputFlow.WindowBytes / OutputFlow.ChunkBytes;

    private readonly ConcurrentDictionary<string, Channel<V1.OutputChunk>> _byTask = new(StringComparer.Ordinal);

    public Channel<V1.OutputChunk> For(string taskId) =>
        _byTask.GetOrAdd(taskId, static _ => Channel.CreateBounded<V1.OutputChunk>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));

    /// <summary>Forgets the task once its Receive is over, so a later run may reuse the id.</summary>
    public void Remove(string taskId) => _byTask.TryRemove(taskId, out _);
}
