using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RiverRun.Host;

/// <summary>
/// The Host's two Kestrel endpoints: gRPC (HTTP/2, <see cref="HostOptions.Listen"/>) and the plain
/// HTTP/1.1 one for /healthz and /metrics (<see cref="HostOptions.HttpListen"/>, when not "none").
/// Kestrel writes the bound address back into each endpoint's options, so after the start these
/// hold the real ports, also where port 0 asked for any free one.
/// </summary>
public sealed class HostListeners
{
    private ListenOptions? _grpc;
    private ListenOptions? _http;

    /// <summary>Where gRPC is served; available once Kestrel is configured.</summary>
    public IPEndPoint Grpc => _grpc?.IPEndPoint ?? throw new InvalidOperationException("the gRPC endpoint is not configured yet");

    /// <summary>Where /healthz and /metrics are served; null when the HTTP address is off ("none").</summary>
    public IPEndPoint? Http => _http?.IPEndPoint;

    /// <summary>Whether a request that arrived on local port <paramref name="localPort"/> came in on the HTTP endpoint.</summary>
    public bool IsHttp(int localPort) => Http is { } http && http.Port == localPort;

    internal void SetGrpc(ListenOptions listen) => _grpc = listen;

    internal void SetHttp(ListenOptions listen) => _http = listen;
}
