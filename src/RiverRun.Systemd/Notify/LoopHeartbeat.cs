namespace RiverRun.Systemd.Notify;

/// <summary>
/// A loop's promise to be back: each time round, the loop beats and says how long it may take
/// until its next beat (its wait plus the work after it). The watchdog feeds systemd only while
/// every loop keeps its promise, so a loop that hangs (a deadlock, a call that never returns)
/// gets the service restarted, while a loop that merely waits a long time does not.
/// </summary>
public sealed class LoopHeartbeat(string name, TimeProvider clock)
{
    private long _deadlineTicks = long.MaxValue;

    /// <summary>The loop's name, for the log line that says which loop stopped beating.</summary>
    public string Name { get; } = name;

    /// <summary>The loop is alive now and will beat again within <paramref name="nextWithin"/>.</summary>
    public void Beat(TimeSpan nextWithin)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextWithin, TimeSpan.Zero);
        var deadline = clock.GetUtcNow() + nextWithin;
        Interlocked.Exchange(ref _deadlineTicks, deadline.UtcTicks);
    }

    /// <summary>False once the loop has missed the beat it promised; true before its first beat.</summary>
    public bool IsAlive(TimeSpan grace) =>
        Interlocked.Read(ref _deadlineTicks) is var deadline
        && (deadline == long.MaxValue || clock.GetUtcNow().UtcTicks <= deadline + grace.Ticks);
}
