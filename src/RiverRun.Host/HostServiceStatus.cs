using System.Globalization;
using RiverRun.Host.Nodes;
using RiverRun.Host.Scheduling;
using RiverRun.Systemd.Notify;

namespace RiverRun.Host;

/// <summary>The Host's line in <c>systemctl status</c>: "2 running, 5 queued, 3 of 4 nodes connected".</summary>
/// <remarks>
/// Counted by the scheduler's memory, not read from the store: the line is refreshed every few
/// seconds, and reading every active task for it cost a parse of 10,000 rows each time under a backlog.
/// </remarks>
public sealed class HostServiceStatus(SchedulerState tasks, NodeRegistry nodes) : IServiceStatusSource
{
    /// <inheritdoc />
    public ValueTask<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var known = nodes.List();
        var connected = known.Count(n => n.Connection is not null);
        return ValueTask.FromResult(string.Create(
            CultureInfo.InvariantCulture,
            $"{tasks.RunningCount} running, {tasks.QueuedCount} queued, {connected} of {known.Count} nodes connected"));
    }
}
