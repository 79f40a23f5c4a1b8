using Grpc.Net.Client;
using RiverRun.Contracts;

namespace RiverRun.Bench;

/// <summary>A channel to the Host as a client: with RIVERRUN_TOKEN and RIVERRUN_CA, as riverrun itself reads them.</summary>
internal static class BenchChannel
{
    public static GrpcChannel ForClient(string host) =>
        HostChannel.Create(host, new HostChannelOptions
        {
            BearerToken = Environment.GetEnvironmentVariable("RIVERRUN_TOKEN"),
            TrustedCaFile = Environment.GetEnvironmentVariable("RIVERRUN_CA") is { Length: > 0 } ca ? ca : null,
            TrustedCaSource = "RIVERRUN_CA",
        });
}
