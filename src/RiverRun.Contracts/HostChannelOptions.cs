namespace RiverRun.Contracts;

/// <summary>How a RiverRun process (the CLI, a Runner) talks to the Host.</summary>
public sealed class HostChannelOptions
{
    /// <summary>The bearer token sent with every call; null sends none.</summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// A PEM file of the CA(s) that alone may vouch for an https:// Host (custom root trust: the
    /// system's CAs do not count); null trusts the system trust store. The ca.crt of <c>riverrun init tls</c>.
    /// </summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>Where <see cref="TrustedCaFile"/> was set, for messages: "--ca", "RIVERRUN_CA", "ca (runner.toml)".</summary>
    public string TrustedCaSource { get; init; } = "--ca";

    /// <summary>The clock the Host's certificate is checked against.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long to wait for the TCP (and TLS) connection before the call fails Unavailable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may be silent before an HTTP/2 ping checks the peer is still there.
    /// Long-lived streams (a Runner's Connect, a followed watch) need it to notice a Host that
    /// vanished without closing the connection (power loss, a cut cable) in seconds, not after
    /// TCP's minutes.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long an unanswered ping may wait before the connection is dropped.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
