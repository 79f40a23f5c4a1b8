namespace RiverRun.Host;

/// <summary>The Host's protocol timings, from <see cref="HostOptions"/> plus fixed defaults tests may shorten.</summary>
public sealed class HostTimings
{
    /// <summary>How often Runners send heartbeats (told to them in Registered).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long Kill (beyond its grace period), Pause and Resume wait for the Runner's CommandAck.
    /// Generous: a Runner on a loaded or slow node (the sandbox's emulated v2 node took over 13 s
    /// to stop a task under load) is still carrying the command out, and a user who is told it
    /// failed would try again needlessly.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between SIGTERM and SIGKILL when a kill request names none.</summary>
    public TimeSpan DefaultKillGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a Runner stream may stay open before its register message arrives. A Runner sends
    /// it at once; a client that opens the stream and sends nothing would otherwise hold it (and a
    /// watch slot, a stream on its connection) for ever, since HTTP/2 pings keep it alive.
    /// </summary>
    public TimeSpan RegisterTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node stays disconnected before its tasks are given up (see <see cref="HostOptions.NodeLostAfter"/>).</summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);
}
