using Grpc.Net.Client;
using RiverRun.Contracts;

namespace RiverRun.Bench;

/// <summary>A channel to the Host as a client: with the token of RIVERRUN_TOKEN, as riverrun itself sends it.</summary>
internal static class BenchChannel
{
    public static GrpcChannel ForClient(string host) =>
        HostChannel.Create(host, new HostChannelOptions { BearerToken = Environment.GetEnvironmentVariable("RIVERRUN_TOKEN") });
}
