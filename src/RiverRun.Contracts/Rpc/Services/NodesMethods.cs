using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>The methods of <c>service Nodes</c> in protos/riverrun/v1/nodes.proto.</summary>
public static class NodesMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "riverrun.v1.Nodes";

    /// <summary>rpc List(ListNodesRequest) returns (ListNodesResponse).</summary>
    public static RpcMethod<ListNodesRequest, ListNodesResponse> List { get; } =
        new(ServiceName, "List", MethodKind.Unary, ListNodesRequest.Parser, ListNodesResponse.Parser);
}
