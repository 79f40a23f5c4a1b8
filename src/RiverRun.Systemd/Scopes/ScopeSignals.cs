namespace RiverRun.Systemd;

/// <summary>
/// Ends a task the way a user expects from Ctrl-C-then-kill: SIGTERM to every process of the
/// scope, a grace period, then SIGKILL and a stop. Always the whole scope (the cgroup), never a
/// pid, so grandchildren and daemonised children are covered.
/// </summary>
public sealed class ScopeSignals
{
    private readonly Systemctl _systemctl;
    private readonly ScopeLiveness _liveness;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public ScopeSignals(Systemctl systemctl, ScopeLiveness liveness, TimeProvider time, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(systemctl);
        ArgumentNullException.ThrowIfNull(liveness);
        ArgumentNullException.ThrowIfNull(time);
        _systemctl = systemctl;
        _liveness = liveness;
        _time = time;
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
    }

    public async Task<ScopeKillResult> KillScopeAsync(string unit, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);

        if (!await _liveness.IsAliveAsync(unit, cancellationToken).ConfigureAwait(false))
        {
            // Still stop it: on cgroup v1 in a container an emptied scope lingers as "active".
            await StopQuietlyAsync(unit, cancellationToken).ConfigureAwait(false);
            return ScopeKillResult.AlreadyGone;
        }

        await SignalAsync(unit, "SIGTERM", cancellationToken).ConfigureAwait(false);

        // The wrapper traps SIGTERM and records the task's status when the task ends, so waiting
        // here is what lets a well-behaved task finish with a recorded status.
        var started = _time.GetTimestamp();
        while (await _liveness.IsAliveAsync(unit, cancellationToken).ConfigureAwait(false))
        {
            var remaining = grace - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                await SignalAsync(unit, "SIGKILL", cancellationToken).ConfigureAwait(false);
                await StopQuietlyAsync(unit, cancellationToken).ConfigureAwait(false);
                return ScopeKillResult.Killed;
            }

            await Task.Delay(remaining < _pollInterval ? remaining : _pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        await StopQuietlyAsync(unit, cancellationToken).ConfigureAwait(false);
        return ScopeKillResult.EndedWithinGrace;
    }

    // A scope can end (and with --collect be unloaded) between any two calls; failing then is
    // the race going our way, not an error. Anything else is.
    private async Task SignalAsync(string unit, string signal, CancellationToken cancellationToken)
    {
        try
        {
            await _systemctl.KillAsync(unit, signal, KillWhom.All, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemctlException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await _liveness.IsAliveAsync(unit, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private async Task StopQuietlyAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            await _systemctl.StopAsync(unit, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemctlException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await _liveness.IsAliveAsync(unit, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }
}
