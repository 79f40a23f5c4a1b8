using Microsoft.Extensions.Hosting;
using RiverRun.Host.Nodes;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;

namespace RiverRun.Host;

/// <summary>
/// Loads the nodes remembered from before a restart into the registry, and the active tasks into
/// the scheduler's memory (<see cref="SchedulerState"/>), when the Host starts, before the server
/// accepts calls: a submit naming a node that is still reconnecting is then accepted, and nothing
/// changes a task before the scheduler knows the queue as the store has it.
/// </summary>
/// <remarks>
/// Hosted services start before Kestrel in ASP.NET Core, so no call sees an empty registry.
/// Every loaded node is disconnected until its Runner registers, so each one that still has tasks
/// gets its <see cref="NodeLossMonitor"/> countdown, measured from now: a node that went away
/// while the Host was down must not keep its tasks forever.
/// </remarks>
public sealed class HostStateLoader(ITaskStore store, NodeRegistry nodes, SchedulerState scheduler, NodeLossMonitor lossMonitor) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        nodes.Load(await store.ListNodesAsync(cancellationToken));
        var active = await store.ListActiveAsync(cancellationToken);
        scheduler.Load(active);
        var nodesWithTasks = active
            .Select(task => task.Node)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        foreach (var node in nodesWithTasks)
        {
            lossMonitor.NodeDisconnected(node);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
