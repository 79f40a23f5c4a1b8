using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>The methods of <c>service Runners</c> in protos/riverrun/v1/runner.proto.</summary>
public static class RunnersMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "riverrun.v1.Runners";

    /// <summary>rpc Connect(stream RunnerMessage) returns (stream HostMessage).</summary>
    public static RpcMethod<RunnerMessage, HostMessage> Connect { get; } =
        new(ServiceName, "Connect", MethodKind.DuplexStreaming, RunnerMessage.Parser, HostMessage.Parser);
}
