using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The server side of <c>service Nodes</c>. Serve it with <see cref="RpcServiceEndpointExtensions.MapNodesService{TService}"/>.
/// </summary>
public abstract class NodesServiceBase
{
    /// <summary>Every node that ever registered.</summary>
    public virtual Task<ListNodesResponse> ListAsync(ListNodesRequest request, RpcCallContext context) =>
        throw RpcException.Unimplemented($"{NodesMethods.List.Path} is not implemented by this server.");
}
