using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// The scheduler's memory of the store: the QUEUED tasks oldest first, grouped by the node they
/// target, and what each node's ASSIGNED, RUNNING and PAUSED tasks hold. A pass reads it instead
/// of every active row of the store, so it costs what it can place plus the nodes, not the backlog.
/// </summary>
/// <remarks>
/// The store stays the truth. This view is loaded from it once, before the Host takes any call
/// (<see cref="HostStateLoader"/>), so a restart after a kill -9 rebuilds it from what was
/// committed; from then on it follows every committed change: <see cref="Enqueue"/> after a
/// submit's insert, <see cref="Apply"/> after each change <see cref="Tasks.TaskLifecycle"/>
/// persists (one task's changes are applied in the order they were committed).
/// What a node holds is kept as sums (cores in whole hundredths, the unit a request is given in,
/// so adding and taking away never drifts); each task's own part is remembered with it, so a
/// change takes away exactly what the task's previous change added, whatever record the caller
/// of that change had read.
/// The one gap: a task changed (cancelled) between its submit's insert and <see cref="Enqueue"/>
/// is queued here although the store no longer has it QUEUED. The pass finds out when its
/// compare-and-set fails and calls <see cref="Forget"/>; such a task never holds a node.
/// </remarks>
public sealed class SchedulerState
{
    // A queue per target: "" for tasks the scheduler may place anywhere, else the node's name.
    private const string Anywhere = "";

    private readonly Lock _lock = new();

    // Every non-final task: its place in the FIFO order (a task that goes back to QUEUED keeps it) and what it adds up to.
    private readonly Dictionary<TaskId, Entry> _tasks = [];
    private readonly Dictionary<string, SortedDictionary<long, TaskRecord>> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Holding> _held = new(StringComparer.Ordinal);
    private long _nextOrder;
    private int _queued;
    private int _running;

    /// <summary>How many tasks are QUEUED.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_lock)
            {
                return _queued;
            }
        }
    }

    /// <summary>How many tasks are RUNNING or PAUSED.</summary>
    public int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// Replaces everything with <paramref name="active"/>, every non-final task of the store,
    /// oldest first (<see cref="ITaskStore.ListActiveAsync"/>). Only before anything changes a task.
    /// </summary>
    public void Load(IEnumerable<TaskRecord> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        lock (_lock)
        {
            _tasks.Clear();
            _queues.Clear();
            _held.Clear();
            _nextOrder = 0;
            _queued = 0;
            _running = 0;
            foreach (var task in active)
            {
                if (!task.State.IsFinal())
                {
                    Add(task);
                }
            }
        }
    }

    /// <summary>Queues tasks a submit has just stored QUEUED, behind every task queued before.</summary>
    public void Enqueue(IEnumerable<TaskRecord> submitted)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        lock (_lock)
        {
            foreach (var task in submitted)
            {
                if (task.State == TaskState.Queued && !_tasks.ContainsKey(task.Id))
                {
                    Add(task);
                }
            }
        }
    }

    /// <summary>Follows a change the store has committed: the task is now <paramref name="after"/>.</summary>
    public void Apply(TaskRecord after)
    {
        ArgumentNullException.ThrowIfNull(after);
        lock (_lock)
        {
            if (_tasks.TryGetValue(after.Id, out var entry))
            {
                Withdraw(entry);
                if (after.State.IsFinal())
                {
                    _tasks.Remove(after.Id);
                    return;
                }
            }

            if (!after.State.IsFinal())
            {
                Add(after);
            }
        }
    }

    /// <summary>
    /// Drops a queued task the pass could not place because the store no longer has it QUEUED
    /// (<paramref name="stored"/>: what the store holds now; null when it holds nothing). Taken
    /// as what the store holds, unless the task has changed here since it was queued: then that
    /// change, committed later, is the newer.
    /// </summary>
    public void Forget(TaskRecord queued, TaskRecord? stored)
    {
        ArgumentNullException.ThrowIfNull(queued);
        lock (_lock)
        {
            if (!_tasks.TryGetValue(queued.Id, out var entry) || !ReferenceEquals(entry.Queued, queued))
            {
                return;
            }

            Withdraw(entry);
            if (stored is null || stored.State.IsFinal())
            {
                _tasks.Remove(queued.Id);
            }
            else
            {
                Add(stored);
            }
        }
    }

    /// <summary>
    /// The scheduler's view of every node, in the order of <paramref name="nodes"/>: connected or
    /// not, capacity, what its tasks hold and how many of them are still starting. Costs the nodes
    /// and the nodes holding tasks, never the tasks.
    /// </summary>
    public NodeSnapshot[] Snapshots(NodeCapacities nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var held = new Holding[nodes.Count];
        lock (_lock)
        {
            // By position, from the few nodes holding tasks: no name of the hundreds of nodes is hashed per pass.
            foreach (var (name, holding) in _held)
            {
                if (nodes.IndexOf(name) is var index and >= 0)
                {
                    held[index] = holding;
                }
            }
        }

        var snapshots = new NodeSnapshot[nodes.Count];
        for (var i = 0; i < snapshots.Length; i++)
        {
            var node = nodes[i];
            snapshots[i] = new NodeSnapshot(node.Name, node.Connected, node.Capacity, held[i].Resources, held[i].Starting);
        }

        return snapshots;
    }

    /// <summary>
    /// Walks the queued tasks oldest first, leaving out whole targets <paramref name="includeTarget"/>
    /// refuses (it gets the targeted node's name, or null for the tasks that may go anywhere), until
    /// <paramref name="visit"/> returns false. Holds the view still meanwhile: both callbacks must
    /// only decide, never wait.
    /// </summary>
    public void VisitQueued(Func<string?, bool> includeTarget, Func<TaskRecord, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(includeTarget);
        ArgumentNullException.ThrowIfNull(visit);
        lock (_lock)
        {
            // Oldest first across the included queues: each is in order, so merging their heads is enough.
            var heads = new PriorityQueue<IEnumerator<KeyValuePair<long, TaskRecord>>, long>();
            foreach (var (target, queue) in _queues)
            {
                if (includeTarget(target.Length == 0 ? null : target))
                {
                    var cursor = queue.GetEnumerator();
                    if (cursor.MoveNext())
                    {
                        heads.Enqueue(cursor, cursor.Current.Key);
                    }
                }
            }

            while (heads.TryDequeue(out var cursor, out _))
            {
                if (!visit(cursor.Current.Value))
                {
                    return;
                }

                if (cursor.MoveNext())
                {
                    heads.Enqueue(cursor, cursor.Current.Key);
                }
            }
        }
    }

    /// <summary>Every queued task, oldest first (a copy).</summary>
    public IReadOnlyList<TaskRecord> QueuedOldestFirst()
    {
        var tasks = new List<TaskRecord>();
        VisitQueued(static _ => true, task =>
        {
            tasks.Add(task);
            return true;
        });
        return tasks;
    }

    private static bool IsRunning(TaskState state) => state is TaskState.Running or TaskState.Paused;

    private static string TargetOf(TaskRecord task) => task.Target is { Node.Length: > 0 } target ? target.Node : Anywhere;

    // Under the lock: a non-final task enters (or comes back), keeping its place in the order.
    private void Add(TaskRecord task)
    {
        var order = _tasks.TryGetValue(task.Id, out var known) ? known.Order : _nextOrder++;
        var entry = new Entry(
            order,
            task.State == TaskState.Queued ? task : null,
            NodeAllocation.HoldsNode(task.State) ? task.Node : null,
            Hundredths(task.Requested.Cores),
            task.Requested.MemoryBytes,
            task.State == TaskState.Assigned,
            IsRunning(task.State));
        _tasks[task.Id] = entry;
        if (entry.Queued is { } queued)
        {
            var target = TargetOf(queued);
            if (!_queues.TryGetValue(target, out var queue))
            {
                queue = [];
                _queues.Add(target, queue);
            }

            queue.Add(order, queued);
            _queued++;
        }

        if (entry.HeldNode is { } node)
        {
            Hold(node, entry, +1);
        }

        _running += entry.Running ? 1 : 0;
    }

    // Under the lock: takes away everything the entry added (the entry itself stays, for its order).
    private void Withdraw(Entry entry)
    {
        if (entry.Queued is { } queued)
        {
            var target = TargetOf(queued);
            if (_queues.TryGetValue(target, out var queue) && queue.Remove(entry.Order))
            {
                _queued--;
                if (queue.Count == 0)
                {
                    // Targets come and go (a node per batch): an empty queue is not kept for each.
                    _queues.Remove(target);
                }
            }
        }

        if (entry.HeldNode is { } node)
        {
            Hold(node, entry, -1);
        }

        _running -= entry.Running ? 1 : 0;
    }

    private void Hold(string node, Entry entry, int sign)
    {
        var held = _held.GetValueOrDefault(node);
        held = new Holding(
            held.Hundredths + (sign * entry.Hundredths),
            held.MemoryBytes + (sign * entry.MemoryBytes),
            held.Tasks + sign,
            held.Starting + (entry.Starting ? sign : 0));
        if (held.Tasks == 0)
        {
            _held.Remove(node);
        }
        else
        {
            _held[node] = held;
        }
    }

    // Requests are whole hundredths of a core (CoreCount): counted as such, sums are exact.
    private static long Hundredths(double cores) => (long)Math.Round(cores * 100, MidpointRounding.AwayFromZero);

    // One task: its place in the order, its record while QUEUED, and its part of a node while it holds one.
    private sealed record Entry(long Order, TaskRecord? Queued, string? HeldNode, long Hundredths, long MemoryBytes, bool Starting, bool Running);

    private readonly record struct Holding(long Hundredths, long MemoryBytes, int Tasks, int Starting)
    {
        public Resources Resources => new(Hundredths / 100.0, MemoryBytes);
    }
}
