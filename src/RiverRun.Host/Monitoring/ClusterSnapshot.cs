using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Monitoring;

/// <summary>
/// What the Host's gauges report at one moment: active tasks by state and, per node, whether it is
/// connected, its capacity and what its tasks hold. Computed from the stored tasks and the node
/// registry at each scrape (like <see cref="NodeAllocation"/>), never kept as running sums, so a
/// gauge cannot drift from the truth.
/// </summary>
/// <param name="TasksByState">Count of tasks in each non-final state; every such state is present, 0 included.</param>
/// <param name="Nodes">Every node that ever registered, sorted by name.</param>
public sealed record ClusterSnapshot(IReadOnlyDictionary<TaskState, int> TasksByState, IReadOnlyList<ClusterSnapshot.NodeFigures> Nodes)
{
    /// <summary>The states a task can be in before it ends: the gauge's label values.</summary>
    public static readonly IReadOnlyList<TaskState> ActiveStates = [TaskState.Queued, TaskState.Assigned, TaskState.Running, TaskState.Paused];

    /// <summary>Before the first scrape: nothing known yet.</summary>
    public static ClusterSnapshot Empty { get; } = From([], []);

    /// <summary>Tasks waiting for room (QUEUED).</summary>
    public int QueueLength => TasksByState[TaskState.Queued];

    /// <summary>Nodes whose Runner has a live stream now.</summary>
    public int NodesConnected => Nodes.Count(node => node.Connected);

    /// <summary>The snapshot for the given nodes and active (non-final) tasks.</summary>
    public static ClusterSnapshot From(IEnumerable<NodeView> nodes, IEnumerable<TaskRecord> activeTasks)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(activeTasks);
        var tasks = activeTasks.ToList();
        var byState = ActiveStates.ToDictionary(state => state, state => tasks.Count(task => task.State == state));
        var allocations = NodeAllocation.Allocations(tasks);
        var figures = nodes
            .OrderBy(node => node.Name, StringComparer.Ordinal)
            .Select(node => new NodeFigures(
                node.Name,
                node.Connected,
                node.Capacity,
                allocations.TryGetValue(node.Name, out var held) ? held.Resources : Resources.None))
            .ToList();
        return new ClusterSnapshot(byState, figures);
    }

    /// <summary>One node's figures.</summary>
    /// <param name="Name">The node's name (the metric label).</param>
    /// <param name="Connected">Whether its Runner is connected now.</param>
    /// <param name="Capacity">What its Runner registered.</param>
    /// <param name="Allocated">What its ASSIGNED, RUNNING and PAUSED tasks asked for.</param>
    public sealed record NodeFigures(string Name, bool Connected, Resources Capacity, Resources Allocated);
}
