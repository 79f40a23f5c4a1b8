using System.Collections.Concurrent;
using RiverRun.Contracts;
using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Output;

/// <summary>
/// Hands each chunk the Host has just stored to the watchers that follow its task, so a watcher
/// that keeps up sends the very bytes that arrived (the same immutable buffer, no copy) instead of
/// reading them back from the file.
/// </summary>
/// <remarks>
/// Each subscription queues at most <see cref="QueuedChunks"/> chunks; a watcher that falls
/// further behind misses the next ones and notices by their offsets, then reads what it missed
/// from the file, which has every byte before a chunk is published. So the feed is only ever a
/// shortcut: offsets stay the truth, and a slow watcher holds a bounded amount of memory. A task
/// has an entry here only while someone subscribes to it.
/// </remarks>
public sealed class OutputFeed
{
    /// <summary>
    /// The most chunks waiting for one watcher: a Runner's window of them. With fewer, a watcher
    /// only a little behind (its client busy writing a block to a pipe) lost the feed at every
    /// burst and read the same bytes back from the file, which cost the Host a read and a copy
    /// per chunk. The chunks are the ones just received, so this holds no bytes of its own
    /// beyond keeping up to a window of them alive a little longer.
    /// </summary>
    public const int QueuedChunks = OutputFlow.WindowBytes / OutputFlow.ChunkBytes;

    private readonly ConcurrentDictionary<TaskId, OutputSubscription[]> _subscribers = new();
    private readonly Lock _gate = new();

    /// <summary>Tasks with at least one subscription now (for leak checks).</summary>
    public int SubscribedTasks => _subscribers.Count;

    /// <summary>Follows the task's output from now on; dispose to stop.</summary>
    public OutputSubscription Subscribe(TaskId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var subscription = new OutputSubscription(id, Unsubscribe);
        lock (_gate)
        {
            _subscribers[id] = _subscribers.TryGetValue(id, out var current) ? [.. current, subscription] : [subscription];
        }

        return subscription;
    }

    /// <summary>Passes a chunk whose bytes are stored now to the task's subscribers.</summary>
    public void Publish(TaskId id, V1.OutputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (_subscribers.TryGetValue(id, out var subscriptions))
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Offer(chunk);
            }
        }
    }

    private void Unsubscribe(OutputSubscription subscription)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(subscription.TaskId, out var current))
            {
                return;
            }

            var rest = Array.FindAll(current, s => !ReferenceEquals(s, subscription));
            if (rest.Length == 0)
            {
                _subscribers.TryRemove(subscription.TaskId, out _);
            }
            else
            {
                _subscribers[subscription.TaskId] = rest;
            }
        }
    }
}
