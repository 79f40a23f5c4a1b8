namespace RiverRun.Runner;

/// <summary>
/// The Runner's timing and sizing knobs. Not user options: the defaults are what the design asks
/// for (a printed line reaches the Host within ~100 ms); tests shorten them.
/// </summary>
internal sealed record RunnerTuning
{
    /// <summary>
    /// How often a re-adopted scope's process list is read, for the one end that leaves no exit
    /// record (a wrapper killed outright). Every other end is an event: the exit record's arrival.
    /// </summary>
    public TimeSpan AdoptedLivenessInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a task's spool is read when it cannot be watched (inotify refused a watch:
    /// fs.inotify.max_user_watches reached). Normally unused: spools are watched.
    /// </summary>
    public TimeSpan UnwatchedSpoolInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>SIGTERM-to-SIGKILL grace when the Host gives none, and for timeouts and forgets.</summary>
    public TimeSpan DefaultKillGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat interval until the Host names one (or when it names none).</summary>
    public TimeSpan DefaultHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shortest heartbeat interval honoured, whatever the Host asks.</summary>
    public TimeSpan MinimumHeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the Runner waits for Registered after sending Register.</summary>
    public TimeSpan RegistrationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay; it doubles per failed attempt.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaximumDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages waiting for the stream. Small on purpose: output readers wait when it is full, so
    /// at most this many 64 KiB chunks are ever in memory, whatever a task prints.
    /// </summary>
    public int OutboxCapacity { get; init; } = 16;

    /// <summary>A finished task's spool is deleted this long after it ended if the Host never says forget.</summary>
    public TimeSpan FinishedRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often finished spools are checked against <see cref="FinishedRetention"/>.</summary>
    public TimeSpan RetentionSweepInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many tasks may be in their launch (user lookup, spool, systemd-run until the task's
    /// wrapper runs) at once. Launches of one node run side by side, as many as its capacity lets the
    /// Host send; this bounds a burst of tiny tasks (say 200 at 0.01 cores) so that it costs the
    /// node a few parallel systemd-run processes at a time rather than 200 at once.
    /// </summary>
    public int MaxConcurrentLaunches { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);
}
