using Grpc.Core;
using RiverRun.Host.Runners;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>riverrun.v1.Runners: hands each Runner stream to a <see cref="RunnerSession"/>.</summary>
public sealed class RunnersService(RunnerSession session) : V1.Runners.RunnersBase
{
    public override Task Connect(IAsyncStreamReader<V1.RunnerMessage> requestStream, IServerStreamWriter<V1.HostMessage> responseStream, ServerCallContext context) =>
        session.RunAsync(requestStream, responseStream, context);
}
