using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>Calls <c>riverrun.v1.Nodes</c> over a channel.</summary>
public sealed class NodesClient
{
    private readonly RpcChannel _channel;

    /// <summary>A client using <paramref name="channel"/>.</summary>
    public NodesClient(RpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Every node that ever registered.</summary>
    public Task<ListNodesResponse> ListAsync(ListNodesRequest request, CancellationToken cancellationToken = default) =>
        ListAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Every node that ever registered.</summary>
    public Task<ListNodesResponse> ListAsync(ListNodesRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(NodesMethods.List, request, options);
}
