using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// What each node has handed out: the requests of its ASSIGNED, RUNNING and PAUSED tasks, against
/// the capacity its Runner registered. Computed from the stored tasks each time rather than kept
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
    /// An array, not a map by name: a pass that places anything builds one across every node
    /// (hundreds), and hashing every name into a map cost more than the one scan by name per
    /// placed task (<see cref="IndexOf"/>) that the map saved.
    /// </remarks>
    public static NodeSnapshot[] Snapshots(IReadOnlyList<NodeCapacity> nodes, IEnumerable<TaskRecord> tasks)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var allocated = Allocations(tasks);
        var snapshots = new NodeSnapshot[nodes.Count];
        for (var i = 0; i < snapshots.Length; i++)
        {
            var node = nodes[i];
            var held = allocated.Count > 0 && allocated.TryGetValue(node.Name, out var holding) ? holding.Resources : Resources.None;
            snapshots[i] = new NodeSnapshot(node.Name, node.Connected, node.Capacity, held);
        }

        return snapshots;
    }

    /// <summary>Where the node named <paramref name="name"/> is in <paramref name="snapshots"/>; -1 when it is not.</summary>
    public static int IndexOf(NodeSnapshot[] snapshots, string name)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        for (var i = 0; i < snapshots.Length; i++)
        {
            if (string.Equals(snapshots[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
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
