namespace RiverRun.Systemd;

/// <summary>
/// Waits for the end of a scope this Runner is not the parent of (it was started before a
/// Runner restart), by polling the spool for the exit record and the scope for liveness.
/// </summary>
public sealed class AdoptedScopeWatcher
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public AdoptedScopeWatcher(TimeProvider time, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <param name="spool">The task's spool.</param>
    /// <param name="isScopeAlive">Usually <see cref="ScopeLiveness.IsAliveAsync"/> for the task's unit.</param>
    /// <param name="cancellationToken">Stops the waiting (not the task).</param>
    public async Task<ScopeOutcome> WaitForOutcomeAsync(TaskSpool spool, Func<CancellationToken, Task<bool>> isScopeAlive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(isScopeAlive);
        while (true)
        {
            if (File.Exists(Path.Combine(spool.Directory, SpoolFiles.Exit)))
            {
                return spool.ClassifyEnded(wrapperExitCode: null, systemdRunError: null);
            }

            if (!await isScopeAlive(cancellationToken).ConfigureAwait(false))
            {
                // The record is renamed into place before the wrapper exits, so one written just
                // before the liveness check is visible now; no record now means none will come.
                return spool.ClassifyEnded(wrapperExitCode: null, systemdRunError: null);
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
