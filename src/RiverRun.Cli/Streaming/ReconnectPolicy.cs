namespace RiverRun.Cli.Streaming;

/// <summary>How a broken output stream is retried: exponential backoff up to a cap, for at most a while.</summary>
/// <param name="InitialDelay">The wait before the first retry.</param>
/// <param name="MaxDelay">The longest wait between two retries.</param>
/// <param name="GiveUpAfter">How long a break may last before the client gives up.</param>
public sealed record ReconnectPolicy(TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan GiveUpAfter)
{
    /// <summary>0.5 s, doubling to 10 s, for up to 5 minutes: long enough for a Host restart.</summary>
    public static ReconnectPolicy Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>The wait before retry number <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialDelay.Ticks * factor, MaxDelay.Ticks));
        return delay < InitialDelay ? InitialDelay : delay;
    }
}
