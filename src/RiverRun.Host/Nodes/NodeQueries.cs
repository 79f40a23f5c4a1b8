using Google.Protobuf.WellKnownTypes;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Nodes;

/// <summary>The node listing for clients: registry state plus what each node's tasks hold.</summary>
public sealed class NodeQueries(NodeRegistry nodes, ITaskStore store)
{
    /// <summary>Every node that ever registered, sorted by name.</summary>
    public async Task<V1.ListNodesResponse> ListAsync(CancellationToken cancellationToken)
    {
        var allocations = NodeAllocation.Allocations(await store.ListActiveAsync(cancellationToken));
        var response = new V1.ListNodesResponse();
        foreach (var node in nodes.List())
        {
            var (allocated, tasks) = allocations.GetValueOrDefault(node.Name);
            var info = new V1.NodeInfo
            {
                Name = node.Name,
                Connected = node.Connected,
                Capacity = new V1.Resources { Cores = node.Capacity.Cores, MemoryBytes = node.Capacity.MemoryBytes },
                Allocated = new V1.Resources { Cores = allocated.Cores, MemoryBytes = allocated.MemoryBytes },
                RunningTasks = tasks,
                Usage = node.Usage,
                Version = node.Registration.Version,
                Hostname = node.Registration.Hostname,
                SystemdVersion = node.Registration.SystemdVersion,
                CgroupVersion = node.Registration.CgroupVersion,
            };
            if (node.LastHeartbeat is { } last)
            {
                info.LastHeartbeat = Timestamp.FromDateTimeOffset(last);
            }

            info.NumaNodes.AddRange(node.Registration.NumaNodes);
            info.Gpus.AddRange(node.Registration.Gpus);
            response.Nodes.Add(info);
        }

        return response;
    }
}
