using System.Globalization;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;
using RiverRun.Systemd.Notify;

namespace RiverRun.Host;

/// <summary>The Host's line in <c>systemctl status</c>: "2 running, 5 queued, 3 of 4 nodes connected".</summary>
public sealed class HostServiceStatus(ITaskStore store, NodeRegistry nodes) : IServiceStatusSource
{
    /// <inheritdoc />
    public async ValueTask<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var active = await store.ListActiveAsync(cancellationToken);
        var running = active.Count(t => t.State is TaskState.Running or TaskState.Paused);
        var queued = active.Count(t => t.State == TaskState.Queued);
        var known = nodes.List();
        var connected = known.Count(n => n.Connection is not null);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{running} running, {queued} queued, {connected} of {known.Count} nodes connected");
    }
}
