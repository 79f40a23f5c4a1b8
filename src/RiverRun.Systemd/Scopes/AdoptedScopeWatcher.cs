namespace RiverRun.Systemd;

/// <summary>
/// Waits for the end of a scope this Runner is not the parent of (it was started before a
/// Runner restart). The wrapper puts its exit record in the spool as the task ends, so the end
/// normally arrives as a change of the spool (see <see cref="SpoolWatcher"/>). Only a wrapper
/// killed before it could write the record ends without one; the scope's liveness is checked
/// for that, rarely and cheaply.
/// </summary>
public sealed class AdoptedScopeWatcher
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _livenessInterval;

    /// <param name="time">Drives the liveness checks.</param>
    /// <param name="livenessInterval">How often the scope's liveness is checked for an end without a record.</param>
    public AdoptedScopeWatcher(TimeProvider time, TimeSpan livenessInterval)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(livenessInterval, TimeSpan.Zero);
        _time = time;
        _livenessInterval = livenessInterval;
    }

    /// <param name="spool">The task's spool.</param>
    /// <param name="nextChange">Completes at the next change of the spool; taken before each look at it, so no change is missed.</param>
    /// <param name="isScopeAlive">Whether the scope still has processes.</param>
    /// <param name="cancellationToken">Stops the waiting (not the task).</param>
    public async Task<ScopeOutcome> WaitForOutcomeAsync(
        TaskSpool spool,
        Func<Task> nextChange,
        Func<CancellationToken, Task<bool>> isScopeAlive,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(nextChange);
        ArgumentNullException.ThrowIfNull(isScopeAlive);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Task? livenessDue = null;
            while (true)
            {
                var change = nextChange();
                if (HasCompleteRecord(spool))
                {
                    return spool.ClassifyEnded(wrapperExitCode: null, systemdRunError: null);
                }

                if (livenessDue is null || livenessDue.IsCompleted)
                {
                    if (!await isScopeAlive(cancellationToken).ConfigureAwait(false))
                    {
                        // The wrapper writes its record before it exits, so whatever it wrote is
                        // visible now; nothing more will come.
                        return spool.ClassifyEnded(wrapperExitCode: null, systemdRunError: null);
                    }

                    livenessDue = Task.Delay(_livenessInterval, _time, stop.Token);
                }

                await Task.WhenAny(change, livenessDue).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // Ends the pending liveness timer with the wait.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    // A record still being written (or cut short) is not the end yet: the rest of the write
    // wakes the wait again, and a wrapper killed mid-write is found by the liveness check.
    private static bool HasCompleteRecord(TaskSpool spool)
    {
        try
        {
            return spool.TryReadExitRecord() is { IsComplete: true };
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
