using Microsoft.Extensions.Hosting;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;

namespace RiverRun.Host;

/// <summary>
/// Loads the nodes remembered from before a restart into the registry when the Host starts, before
/// the server accepts calls: a submit naming a node that is still reconnecting is then accepted.
/// </summary>
/// <remarks>Hosted services start before Kestrel in ASP.NET Core, so no call sees an empty registry.</remarks>
public sealed class HostStateLoader(ITaskStore store, NodeRegistry nodes) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) =>
        nodes.Load(await store.ListNodesAsync(cancellationToken));

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
