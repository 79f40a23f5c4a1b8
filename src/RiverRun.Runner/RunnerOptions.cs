using RiverRun.Configuration;

namespace RiverRun.Runner;

/// <summary>
/// What <c>riverrun runner</c> was configured with (runner.toml, runner-INSTANCE.toml, RIVERRUN_*
/// variables and flags, loaded by <see cref="RunnerConfiguration.Load"/>; the settings are listed
/// in <see cref="RunnerSettings"/>). Unset values get the machine's defaults at start: the
/// hostname, all cores, all memory. Checked at start by <see cref="RunnerOptionsValidator"/>.
/// </summary>
public sealed class RunnerOptions
{
    /// <summary>The Host's gRPC address (<c>--host</c>).</summary>
    public Uri HostUrl { get; set; } = new("http://127.0.0.1:8700");

    /// <summary>
    /// The CA certificate file an https:// Host's certificate must chain to (<c>--ca</c>); null for
    /// the system trust store.
    /// </summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>This Runner's name in the cluster (<c>--name</c>); null for the hostname (with "-<see cref="Instance"/>" for an instance).</summary>
    public string? Name { get; set; }

    /// <summary>The cores it offers to tasks (<c>--cores</c>); null for all of the machine's.</summary>
    public double? Cores { get; set; }

    /// <summary>The memory it offers to tasks in bytes (<c>--memory</c>); null for all of the machine's.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>
    /// Where Runners keep their state (<c>--state-dir</c>); this one uses <c>&lt;StateDirectory&gt;/&lt;name&gt;/</c>.
    /// Not below the Host's /var/lib/riverrun: under systemd that is the Host's private StateDirectory
    /// (DynamicUser=), which systemd re-owns and closes to other users (riverrun-host.service).
    /// </summary>
    public string StateDirectory { get; set; } = "/var/lib/riverrun-runner";

    /// <summary>
    /// The instance of a Runner that shares its machine with others (<c>--instance gpu0</c>), or null.
    /// Its file is runner-gpu0.toml; while <see cref="Name"/> is null its name is &lt;hostname&gt;-gpu0.
    /// </summary>
    public string? Instance { get; set; }

    /// <summary>Where each setting came from (file and line, variable, flag), for the messages of <see cref="RunnerOptionsValidator"/>.</summary>
    public SettingOrigins Origins { get; set; } = SettingOrigins.None;
}
