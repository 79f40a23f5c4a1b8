using Grpc.Net.Client;
using RiverRun.Contracts;

namespace RiverRun.Bench;

/// <summary>
/// The relay's producer and consumer dial with RiverRun's own channel (HTTP/2 windows, TLS
/// check), trusting the CA the relay server wrote for https:// (DIR/ca.crt).
/// </summary>
internal static class RelayChannel
{
    public static GrpcChannel Create(string host, string? ca) =>
        HostChannel.Create(host, new HostChannelOptions { TrustedCaFile = ca });
}
