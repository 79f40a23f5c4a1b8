using RiverRun.Core;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// What each node has handed out: the requests of its ASSIGNED, RUNNING and PAUSED tasks, against
/// the capacity its Runner registered, computed from the stored tasks each time (for `nodes` and
/// the metrics). The scheduler keeps the same sums in memory (<see cref="SchedulerState"/>).
/// </summary>
public static class NodeAllocation
{
    /// <summary>Whether a task in <paramref name="state"/> holds its share of its node.</summary>
    public static bool HoldsNode(TaskState state) =>
        state is TaskState.Assigned or TaskState.Running or TaskState.Paused;

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
