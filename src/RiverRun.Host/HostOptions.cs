using RiverRun.Configuration;

namespace RiverRun.Host;

/// <summary>
/// What <c>riverrun host</c> is configured with. Defaults suit a single-machine start. Checked at
/// start by <see cref="HostOptionsValidator"/>; the data directory is created when the Host starts
/// (<see cref="HostDataDirectory"/>). Loaded from host.toml, RIVERRUN_* and flags by
/// <see cref="HostConfiguration.Load"/>; the settings a user can set are listed in <see cref="HostSettings"/>.
/// </summary>
public sealed class HostOptions
{
    /// <summary>Where the gRPC server listens (<c>--listen</c>): "host:port" (see <see cref="ListenAddress"/>).</summary>
    public string Listen { get; set; } = "127.0.0.1:8700";

    /// <summary>
    /// Where plain HTTP/1.1 serves <c>GET /healthz</c> and <c>GET /metrics</c> (<c>--http-listen</c>):
    /// "host:port" like <see cref="Listen"/>, or "none" for neither. A second address because the gRPC
    /// one speaks HTTP/2 only, which curl and most load balancers' probes do not speak without TLS.
    /// </summary>
    public string HttpListen { get; set; } = "127.0.0.1:8701";

    /// <summary>Where riverrun.db and the task output live (<c>--data-dir</c>); created when missing.</summary>
    public string DataDirectory { get; set; } = "/var/lib/riverrun";

    /// <summary>
    /// The Host's TLS certificate, a PEM file (<c>--tls-cert</c>); with <see cref="TlsKey"/> the gRPC
    /// listener serves HTTP/2 over TLS. Null: cleartext HTTP/2 (h2c). Read once, at start.
    /// </summary>
    public string? TlsCertificate { get; set; }

    /// <summary>The private key of <see cref="TlsCertificate"/>, an unencrypted PEM file (<c>--tls-key</c>).</summary>
    public string? TlsKey { get; set; }

    /// <summary>
    /// Whether to listen beyond loopback without TLS and tokens (<c>--insecure</c>): refused otherwise
    /// (<see cref="ListenExposurePolicy"/>). Logs a warning at every start.
    /// </summary>
    public bool Insecure { get; set; }

    /// <summary>Whether gRPC is served over TLS (both files configured; the validator refuses one without the other).</summary>
    public bool TlsConfigured => TlsCertificate is not null && TlsKey is not null;

    /// <summary>How often Runners send heartbeats. No flag: tests shorten it.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node's Runner may stay disconnected before its tasks are given up (<c>--node-lost-after</c>):
    /// RUNNING and PAUSED become LOST, ASSIGNED (never reported started) go back to the queue.
    /// </summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a finished task is kept, with its history and output (<c>--keep-finished-for</c>).
    /// A month: long enough to look back at last week's runs, short enough that the head machine's
    /// disk does not fill over months of use.
    /// </summary>
    public TimeSpan KeepFinishedFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The most bytes of output the finished tasks keep together (<c>--keep-output</c>); beyond it the
    /// oldest finished tasks are removed whole. Output is usually most of the Host's disk use.
    /// </summary>
    public long KeepOutputBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Where each setting came from (file and line, variable, flag), for the messages of <see cref="HostOptionsValidator"/>.</summary>
    public SettingOrigins Origins { get; set; } = SettingOrigins.None;
}
