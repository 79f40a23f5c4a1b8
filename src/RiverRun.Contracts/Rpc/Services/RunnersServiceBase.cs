using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The server side of <c>service Runners</c>. Serve it with <see cref="RpcServiceEndpointExtensions.MapRunnersService{TService}"/>.
/// </summary>
public abstract class RunnersServiceBase
{
    /// <summary>A Runner's long-lived stream: its messages in, the Host's commands out. The call lasts
    /// as long as this method runs; returning ends it with OK.</summary>
    public virtual Task ConnectAsync(IAsyncStreamReader<RunnerMessage> requestStream, IServerStreamWriter<HostMessage> responseStream, RpcCallContext context) =>
        throw RpcException.Unimplemented($"{RunnersMethods.Connect.Path} is not implemented by this server.");
}
