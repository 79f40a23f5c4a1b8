using Grpc.Core;
using RiverRun.Host.Nodes;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>riverrun.v1.Nodes: hands the call to <see cref="NodeQueries"/>.</summary>
public sealed class NodesService(NodeQueries queries) : V1.Nodes.NodesBase
{
    public override Task<V1.ListNodesResponse> List(V1.ListNodesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.ListAsync(context.CancellationToken);
    }
}
