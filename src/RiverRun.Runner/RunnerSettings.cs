using RiverRun.Configuration;
using RiverRun.Core;

namespace RiverRun.Runner;

/// <summary>
/// The settings of <c>riverrun runner</c>: the one table from which runner.toml's keys, the
/// RIVERRUN_* variables, the flags, --help and <c>riverrun init config --runner</c> all come. To
/// add a setting: a property in <see cref="RunnerOptions"/>, a line here, and its check in
/// <see cref="RunnerOptionsValidator"/>.
/// </summary>
public static class RunnerSettings
{
    public const string Host = "host";
    public const string Name = "name";
    public const string Cores = "cores";
    public const string Memory = "memory";
    public const string StateDirectory = "state_dir";
    public const string TrustedCa = "ca";

    public static SettingTable<RunnerOptions> Table { get; } = new(
    [
        Setting.HostAddress<RunnerOptions>(Host, "The Host's gRPC address, e.g. http://head:8700", o => o.HostUrl, (o, v) => o.HostUrl = v),
        Setting.OptionalText<RunnerOptions>(TrustedCa, "FILE", "The CA certificate (PEM) that alone may vouch for an https:// Host, e.g. ca.crt from `riverrun init tls`", o => o.TrustedCaFile, (o, v) => o.TrustedCaFile = v, "the system trust store", "/etc/riverrun/tls/ca.crt"),
        Setting.OptionalText<RunnerOptions>(Name, "NAME", $"This Runner's node name in the cluster: {NodeName.Rule}", o => o.Name, (o, v) => o.Name = v, "the hostname (an instance: <node name>-<instance>)", "node1", NodeName.Validate),
        Setting.Cores<RunnerOptions>(Cores, "Cores offered to tasks, fractions allowed (e.g. 6 or 3.5)", o => o.Cores, (o, v) => o.Cores = v, "all of the machine's cores", "8"),
        Setting.Size<RunnerOptions>(Memory, "Memory offered to tasks: a number with K, M, G or T, powers of 1024 (e.g. 16G)", o => o.MemoryBytes, (o, v) => o.MemoryBytes = v, "all of the machine's memory", "16G"),
        Setting.Text<RunnerOptions>(StateDirectory, "DIR", "Where Runners keep their tasks' spools; this one uses DIR/<node name>", o => o.StateDirectory, (o, v) => o.StateDirectory = v),
    ]);
}
