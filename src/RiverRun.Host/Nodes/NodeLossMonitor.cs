using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;

namespace RiverRun.Host.Nodes;

/// <summary>
/// Gives up the tasks of a node whose Runner stays away: once a node has been disconnected for
/// <see cref="HostTimings.NodeLostAfter"/>, its RUNNING and PAUSED tasks become LOST and its
/// ASSIGNED tasks (sent, never reported started) go back to the queue for any node that fits.
/// Without this they would hold the node's capacity, and every follower would wait, forever.
/// </summary>
/// <remarks>
/// A countdown starts when a node's stream ends (and, at Host start, for every remembered node
/// that still has tasks); the node's next registration cancels it. Expiry and registration both
/// run inside the <see cref="SchedulingGate"/>, so a Runner that reconnects as the countdown fires
/// either keeps its tasks or is told to forget them, never half of each. The countdown uses the
/// injected <see cref="TimeProvider"/> so tests drive it with a manual clock.
/// </remarks>
public sealed class NodeLossMonitor(
    ITaskStore store,
    NodeRegistry nodes,
    TaskLifecycle lifecycle,
    SchedulingGate gate,
    SchedulerSignal scheduler,
    HostTimings timings,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<NodeLossMonitor> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Countdown> _countdowns = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Starts (or restarts) the node's countdown: its Runner is not connected as of now.</summary>
    public void NodeDisconnected(string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        // A stopping Host ends every stream; the next Host process starts its own countdowns.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        var countdown = new Countdown(node);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_countdowns.Remove(node, out var previous))
            {
                previous.Dispose();
            }

            _countdowns[node] = countdown;
            countdown.Timer = clock.CreateTimer(_ => _ = ExpireAsync(countdown), null, timings.NodeLostAfter, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Cancels the node's countdown: its Runner registered again. Call inside the <see cref="SchedulingGate"/>.</summary>
    public void NodeConnected(string node)
    {
        lock (_lock)
        {
            if (_countdowns.Remove(node, out var countdown))
            {
                countdown.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var countdown in _countdowns.Values)
            {
                countdown.Dispose();
            }

            _countdowns.Clear();
        }
    }

    private async Task ExpireAsync(Countdown countdown)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            int lost;
            int requeued;
            using (await gate.EnterAsync(stopping))
            {
                // Only the countdown still on record counts: a registration that got the gate first
                // removed it, and a newer disconnect replaced it with its own.
                lock (_lock)
                {
                    if (!_countdowns.TryGetValue(countdown.Node, out var current) || !ReferenceEquals(current, countdown))
                    {
                        return;
                    }

                    _countdowns.Remove(countdown.Node);
                }

                countdown.Dispose();
                // A stream that ended late, after its replacement registered, starts a countdown for a connected node.
                if (nodes.GetConnection(countdown.Node) is not null)
                {
                    return;
                }

                (lost, requeued) = await GiveUpTasksAsync(countdown.Node, stopping);
            }

            if (lost + requeued > 0)
            {
                HostLog.NodeLost(logger, countdown.Node, DurationParser.Format(timings.NodeLostAfter), lost, requeued);
            }

            scheduler.Request();
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
        {
            // The Host is stopping; the next process starts the countdown again for nodes that still have tasks.
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Left as is, the node's tasks would hang forever: try again after another full period.
            HostLog.NodeLossFailed(logger, countdown.Node, DurationParser.Format(timings.NodeLostAfter), ex);
            if (nodes.GetConnection(countdown.Node) is null)
            {
                NodeDisconnected(countdown.Node);
            }
        }
    }

    private async Task<(int Lost, int Requeued)> GiveUpTasksAsync(string node, CancellationToken cancellationToken)
    {
        var lostReason = $"node '{node}' has been disconnected for {DurationParser.Format(timings.NodeLostAfter)}; its tasks are considered lost";
        var requeueReason = $"node '{node}' went away before starting it; waiting to be placed again";
        var now = clock.GetUtcNow();
        var lost = 0;
        var requeued = 0;
        foreach (var task in await store.ListActiveAsync(cancellationToken))
        {
            if (task.Node != node)
            {
                continue;
            }

            if (task.State is TaskState.Running or TaskState.Paused)
            {
                var result = await lifecycle.ChangeAsync(
                    task.Id,
                    current => current.Node == node && current.State is TaskState.Running or TaskState.Paused
                        ? current with { State = TaskState.Lost, Reason = lostReason, FinishedAt = now }
                        : null,
                    lostReason,
                    cancellationToken);
                lost += result.Changed ? 1 : 0;
            }
            else if (task.State == TaskState.Assigned)
            {
                // Node cleared: the task no longer holds this node's capacity, and should the Runner
                // come back holding it, registration tells it to forget a task placed elsewhere.
                var result = await lifecycle.ChangeAsync(
                    task.Id,
                    current => current.Node == node && current.State == TaskState.Assigned
                        ? current with { State = TaskState.Queued, Node = null, Unit = null, Reason = requeueReason }
                        : null,
                    requeueReason,
                    cancellationToken);
                requeued += result.Changed ? 1 : 0;
            }
        }

        return (lost, requeued);
    }

    private sealed class Countdown(string node) : IDisposable
    {
        public string Node { get; } = node;

        public ITimer? Timer { get; set; }

        public void Dispose() => Timer?.Dispose();
    }
}
