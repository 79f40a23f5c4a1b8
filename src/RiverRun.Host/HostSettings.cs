using RiverRun.Configuration;

namespace RiverRun.Host;

/// <summary>
/// The settings of <c>riverrun host</c>: the one table from which host.toml's keys, the RIVERRUN_*
/// variables, the flags, --help and <c>riverrun init config --host</c> all come. To add a setting:
/// a property in <see cref="HostOptions"/>, a line here, and its check in <see cref="HostOptionsValidator"/>.
/// </summary>
public static class HostSettings
{
    public const string Listen = "listen";
    public const string DataDirectory = "data_dir";
    public const string NodeLostAfter = "node_lost_after";
    public const string HttpListen = "http_listen";
    public const string TlsCertificate = "tls_cert";
    public const string TlsKey = "tls_key";
    public const string Insecure = "insecure";
    public const string KeepFinishedFor = "keep_finished_for";
    public const string KeepOutput = "keep_output";

    public static SettingTable<HostOptions> Table { get; } = new(
    [
        Setting.Text<HostOptions>(Listen, "ADDRESS:PORT", "Address and port the gRPC server listens on: 127.0.0.1:8700, [::1]:8700, 0.0.0.0:8700", o => o.Listen, (o, v) => o.Listen = v),
        Setting.Text<HostOptions>(DataDirectory, "DIR", "Where riverrun.db and the tasks' output live; created when missing", o => o.DataDirectory, (o, v) => o.DataDirectory = v),
        Setting.Text<HostOptions>(HttpListen, "ADDRESS:PORT|none", "Address and port of plain HTTP/1.1 for GET /healthz and GET /metrics, or 'none' for neither", o => o.HttpListen, (o, v) => o.HttpListen = v),
        Setting.OptionalText<HostOptions>(TlsCertificate, "FILE", "The Host's TLS certificate (PEM), e.g. host.crt from `riverrun init tls`; with tls_key, gRPC is served over TLS", o => o.TlsCertificate, (o, v) => o.TlsCertificate = v, "none: cleartext HTTP/2", "/etc/riverrun/tls/host.crt"),
        Setting.OptionalText<HostOptions>(TlsKey, "FILE", "The private key of tls_cert (PEM, unencrypted), e.g. host.key from `riverrun init tls`", o => o.TlsKey, (o, v) => o.TlsKey = v, "none: cleartext HTTP/2", "/etc/riverrun/tls/host.key"),
        Setting.Switch<HostOptions>(Insecure, "Listen beyond loopback even without TLS or without any token (anyone on the network may then read the traffic, or call the Host); logs a warning at every start", o => o.Insecure, (o, v) => o.Insecure = v),
        Setting.Duration<HostOptions>(KeepFinishedFor, "How long a finished task, its history and its output are kept after it ended (1h to 3650d)", o => o.KeepFinishedFor, (o, v) => o.KeepFinishedFor = v),
        Setting.Size<HostOptions>(KeepOutput, "The most output the finished tasks keep together; beyond it the oldest finished tasks are removed whole (at least 1M)", o => o.KeepOutputBytes, (o, v) => o.KeepOutputBytes = v, "10G", "50G"),
        Setting.Duration<HostOptions>(NodeLostAfter, "How long a node may stay disconnected before its running tasks end LOST and its unstarted ones are queued again (5s to 7d)", o => o.NodeLostAfter, (o, v) => o.NodeLostAfter = v),
    ]);
}
