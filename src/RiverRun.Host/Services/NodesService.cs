using RiverRun.Contracts.Rpc;
using RiverRun.Host.Nodes;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>riverrun.v1.Nodes: hands the call to <see cref="NodeQueries"/>.</summary>
public sealed class NodesService(NodeQueries queries) : NodesServiceBase
{
    public override Task<V1.ListNodesResponse> ListAsync(V1.ListNodesRequest request, RpcCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.ListAsync(context.CancellationToken);
    }
}
