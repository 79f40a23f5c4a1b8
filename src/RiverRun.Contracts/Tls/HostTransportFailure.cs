using System.Net.Http;
using System.Security.Authentication;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// Says in one sentence why a call could not reach the Host when TLS is the cause: the Host's
/// certificate was refused (<see cref="HostCertificateRefusedException"/>), a cleartext client met
/// a TLS Host, or a TLS client met a cleartext Host. Those would otherwise surface as gRPC's
/// "Error starting gRPC call", an SSL stack's wording, or "the response ended prematurely".
/// </summary>
public static class HostTransportFailure
{
    /// <summary>The sentence for <paramref name="exception"/>, or null when TLS is not what went wrong.</summary>
    /// <param name="address">The Host URL that was dialled.</param>
    /// <param name="exception">The failure: an RpcException (its DebugException is searched), an HttpRequestException, ...</param>
    public static string? Describe(Uri address, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(exception);
        var chain = Chain(exception).ToList();
        if (chain.OfType<HostCertificateRefusedException>().FirstOrDefault() is { } refused)
        {
            return $"the Host at {address.GetLeftPart(UriPartial.Authority)} is not trusted: {refused.Message}";
        }

        var authority = address.Authority;
        if (address.Scheme == Uri.UriSchemeHttps && chain.OfType<AuthenticationException>().FirstOrDefault() is { } handshake)
        {
            // Kestrel without TLS reads a ClientHello as a broken HTTP/2 preface and hangs up.
            return $"the TLS handshake with the Host at https://{authority} failed ({handshake.GetBaseException().Message}); "
                + $"if that Host serves cleartext (no tls_cert in its host.toml), use http://{authority}, or give it a certificate (riverrun init tls)";
        }

        // TCP connected (no socket error), then HTTP/2 never started: the Host did not speak h2c.
        // grpc-dotnet reports it as InvalidResponse or, racing the hang-up, as Unknown.
        if (address.Scheme == Uri.UriSchemeHttp
            && !chain.OfType<System.Net.Sockets.SocketException>().Any()
            && chain.OfType<HttpRequestException>().Any(http => http.HttpRequestError is HttpRequestError.ResponseEnded
                or HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse or HttpRequestError.Unknown))
        {
            // Kestrel with TLS reads the h2c preface as a broken ClientHello and hangs up.
            return $"the Host at http://{authority} hung up without answering cleartext HTTP/2; it most likely serves TLS: use https://{authority}, with --ca FILE (or RIVERRUN_CA) when its certificate comes from `riverrun init tls`";
        }

        return null;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            yield return current;
            if (current is Grpc.Core.RpcException { Status.DebugException: { } debug })
            {
                pending.Push(debug);
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
