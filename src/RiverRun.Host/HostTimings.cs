namespace RiverRun.Host;

/// <summary>The Host's protocol timings, from <see cref="HostOptions"/> plus fixed defaults tests may shorten.</summary>
public sealed class HostTimings
{
    /// <summary>How often Runners send heartbeats (told to them in Registered).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long Kill, Pause and Resume wait for the Runner's CommandAck.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between SIGTERM and SIGKILL when a kill request names none.</summary>
    public TimeSpan DefaultKillGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node stays disconnected before its tasks are given up (see <see cref="HostOptions.NodeLostAfter"/>).</summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);
}
