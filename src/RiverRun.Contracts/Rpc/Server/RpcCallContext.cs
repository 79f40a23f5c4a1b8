using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RiverRun.Contracts.Rpc;

/// <summary>What a handler knows about the call it serves, besides the messages.</summary>
public sealed class RpcCallContext
{
    internal RpcCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        CancellationToken = cancellationToken;
        Deadline = deadline;
        Peer = FormatPeer(httpContext.Connection.RemoteIpAddress, httpContext.Connection.RemotePort);
    }

    /// <summary>The method's path, e.g. "/riverrun.v1.Tasks/Submit".</summary>
    public string Method { get; }

    /// <summary>Cancelled when the client goes away (or cancels) and when the deadline passes.
    /// Pass it to everything the handler awaits.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>When the client's grpc-timeout runs out; null when it sent none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The request's headers: the call's metadata (lower-case names, as HTTP/2 sends them).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>The client's address in gRPC's form: "ipv4:10.0.0.5:43512", "ipv6:[::1]:43512" or "unknown".</summary>
    public string Peer { get; }

    /// <summary>The underlying ASP.NET Core request, for what this context does not wrap (user, features).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header, or null when there is none.</summary>
    public string? GetBearerToken()
    {
        const string scheme = "Bearer ";
        string? authorization = HttpContext.Request.Headers[HeaderNames.Authorization];
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static string FormatPeer(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{port}"
            : $"ipv4:{address}:{port}";
    }
}
