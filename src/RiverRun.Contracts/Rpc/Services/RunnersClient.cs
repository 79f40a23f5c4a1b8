using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>Calls <c>riverrun.v1.Runners</c> over a channel (what a Runner uses to dial its Host).</summary>
public sealed class RunnersClient
{
    private readonly RpcChannel _channel;

    /// <summary>A client using <paramref name="channel"/>.</summary>
    public RunnersClient(RpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Opens the long-lived stream. Dispose the call to end it.</summary>
    public DuplexStreamingCall<RunnerMessage, HostMessage> Connect(CancellationToken cancellationToken = default) =>
        Connect(new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Opens the long-lived stream. Dispose the call to end it.</summary>
    public DuplexStreamingCall<RunnerMessage, HostMessage> Connect(RpcCallOptions options) =>
        _channel.DuplexStreamingCall(RunnersMethods.Connect, options);
}
