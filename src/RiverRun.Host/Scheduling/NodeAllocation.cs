using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// What each node has handed out: the requests of its ASSIGNED, RUNNING and PAUSED tasks, against
/// the capacity its Runner registered, and how many are still starting (ASSIGNED). Computed from the stored tasks each time rather than kept
/// as a running sum, so it cannot drift from the truth however tasks end.
/// </summary>
public static class NodeAllocation
{
    /// <summary>Whether a task in <paramref name="state"/> holds its share of its node.</summary>
    public static bool HoldsNode(TaskState state) =>
        state is TaskState.Assigned or TaskState.Running or TaskState.Paused;

    /// <summary>
    /// The scheduler's view of every node, in the order of <paramref name="nodes"/>: connected or
    /// not, capacity, and what its tasks hold.
    /// </summary>
    /// <remarks>
    /// Built by position: each holding task adds to its node's slot, found through
    /// <see cref="NodeCapacities.IndexOf"/>, so the cost grows with the active tasks and the nodes
    /// are only walked once to make the snapshots, without hashing their names on every pass.
    /// </remarks>
    public static NodeSnapshot[] Snapshots(NodeCapacities nodes, IEnumerable<TaskRecord> tasks)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(tasks);
        var held = new Resources[nodes.Count];
        var starting = new int[nodes.Count];
        foreach (var task in tasks)
        {
            // A task on a node the registry does not know holds nothing anyone could be given.
            if (task.Node is { } node && HoldsNode(task.State) && nodes.IndexOf(node) is var index and >= 0)
            {
                held[index] += task.Requested;
                if (task.State == TaskState.Assigned)
                {
                    starting[index]++;
                }
            }
        }

        var snapshots = new NodeSnapshot[nodes.Count];
        for (var i = 0; i < snapshots.Length; i++)
        {
            var node = nodes[i];
            snapshots[i] = new NodeSnapshot(node.Name, node.Connected, node.Capacity, held[i], starting[i]);
        }

        return snapshots;
    }

    /// <summary>Per node: the sum of its holding tasks' requests and how many they are.</summary>
    public static Dictionary<string, (Resources Resources, int Tasks)> Allocations(IEnumerable<TaskRecord> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var allocated = new Dictionary<string, (Resources Resources, int Tasks)>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (task.Node is not { } node || !HoldsNode(task.State))
            {
                continue;
            }

            var (resources, count) = allocated.GetValueOrDefault(node);
            allocated[node] = (resources + task.Requested, count + 1);
        }

        return allocated;
    }
}
