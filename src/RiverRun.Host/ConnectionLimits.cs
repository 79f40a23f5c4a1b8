using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RiverRun.Host;

/// <summary>
/// How long the Host keeps a connection that does nothing, and how much one connection may hold.
/// Set explicitly on Kestrel (rather than relying on its defaults staying what they are) so that
/// an idle or half-open client is always let go after a bound, together with the other limits
/// chosen for issue 8 (see <c>MessageLimits</c>, <c>TaskLimits</c>).
/// </summary>
/// <remarks>
/// What each bound covers:
/// <list type="bullet">
/// <item><see cref="IdleConnectionTimeout"/>: an HTTP/2 connection with no open stream (Kestrel's
/// keep-alive timeout). Clients and Runners reconnect on demand, so closing an idle connection
/// costs them one handshake.</item>
/// <item><see cref="RequestHeadersTimeout"/>: the time to receive a request's headers once it has
/// begun. Between the two, a connection that sends nothing at all, or only its preface, is closed
/// (tested with both at one second: IdleConnectionTests).</item>
/// <item><see cref="MaxStreamsPerConnection"/>: concurrent calls on one connection; more wait for
/// a free stream (HTTP/2 flow control), they are not refused.</item>
/// <item>An open stream that sends nothing is not idle to Kestrel (HTTP/2 keep-alive pings are
/// answered by the client's library): a Runner stream must register within
/// <see cref="HostTimings.RegisterTimeout"/>, after which heartbeats flow; watches
/// (<c>logs -f</c>) are meant to wait for as long as the task runs and are bounded in number per
/// caller instead.</item>
/// </list>
/// </remarks>
public sealed class ConnectionLimits
{
    /// <summary>An HTTP/2 connection with no open stream is closed after this (Kestrel's default too).</summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>A request's headers must arrive within this once it has begun (Kestrel's default too).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent streams (calls) on one HTTP/2 connection (Kestrel's default too).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Sets these limits on <paramref name="limits"/>.</summary>
    public void ApplyTo(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.KeepAliveTimeout = IdleConnectionTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
    }
}
