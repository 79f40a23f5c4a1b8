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
    public const string KeepFinishedFor = "keep_finished_for";
    public const string KeepOutput = "keep_output";

    public static SettingTable<HostOptions> Table { get; } = new(
    [
        Setting.Text<HostOptions>(Listen, "ADDRESS:PORT", "Address and port the gRPC server listens on: 127.0.0.1:8700, [::1]:8700, 0.0.0.0:8700", o => o.Listen, (o, v) => o.Listen = v),
        Setting.Text<HostOptions>(DataDirectory, "DIR", "Where riverrun.db and the tasks' output live; created when missing", o => o.DataDirectory, (o, v) => o.DataDirectory = v),
        Setting.Text<HostOptions>(HttpListen, "ADDRESS:PORT|none", "Address and port of plain HTTP/1.1 for GET /healthz and GET /metrics, or 'none' for neither", o => o.HttpListen, (o, v) => o.HttpListen = v),
        Setting.Duration<HostOptions>(KeepFinishedFor, "How long a finished task, its history and its output are kept after it ended (1h to 3650d)", o => o.KeepFinishedFor, (o, v) => o.KeepFinishedFor = v),
        Setting.Size<HostOptions>(KeepOutput, "The most output the finished tasks keep together; beyond it the oldest finished tasks are removed whole (at least 1M)", o => o.KeepOutputBytes, (o, v) => o.KeepOutputBytes = v, "10G", "50G"),
        Setting.Duration<HostOptions>(NodeLostAfter, "How long a node may stay disconnected before its running tasks end LOST and its unstarted ones are queued again (5s to 7d)", o => o.NodeLostAfter, (o, v) => o.NodeLostAfter = v),
    ]);
}
