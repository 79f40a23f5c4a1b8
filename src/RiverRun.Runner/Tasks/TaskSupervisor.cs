using Microsoft.Extensions.Logging;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// Drives each task's scope from launch (or re-adoption) to its final state, and carries out the
/// Host's kill, pause and resume. The decisions are the policy classes'; the systemd work is
/// <see cref="ScopeMechanism"/>'s.
/// </summary>
internal sealed class TaskSupervisor : IDisposable
{
    private readonly ScopeMechanism _mechanism;
    private readonly LaunchContext _context;
    private readonly RunnerTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _launches;

    public TaskSupervisor(ScopeMechanism mechanism, LaunchContext context, RunnerTuning tuning, TimeProvider time, ILogger<TaskSupervisor> logger)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _mechanism = mechanism;
        _context = context;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        _launches = new SemaphoreSlim(tuning.MaxConcurrentLaunches, tuning.MaxConcurrentLaunches);
    }

    public ScopeMechanism Mechanism => _mechanism;

    public void Dispose() => _launches.Dispose();

    /// <summary>
    /// Launches a new task and supervises it to its end. <paramref name="stopping"/> is the
    /// Runner's shutdown: it stops the supervising, never the task (a restarted Runner re-adopts it).
    /// </summary>
    public Task RunNewAsync(TaskRun run, CancellationToken stopping) =>
        GuardAsync(run, () => RunNewCoreAsync(run, stopping));

    /// <summary>Supervises a task whose scope was started before this Runner (re)started.</summary>
    /// <param name="run">The task.</param>
    /// <param name="alive">Whether its scope still has processes.</param>
    /// <param name="stopping">The Runner's shutdown.</param>
    public Task RunAdoptedAsync(TaskRun run, bool alive, CancellationToken stopping) =>
        GuardAsync(run, () => RunAdoptedCoreAsync(run, alive, stopping));

    private async Task RunNewCoreAsync(TaskRun run, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A launch slot is held from the user lookup until the task's wrapper runs (or systemd-run
        // gives up): see RunnerTuning.MaxConcurrentLaunches.
        await _launches.WaitAsync(stopping).ConfigureAwait(false);
        LaunchedScope? scope = null;
        try
        {
            scope = await LaunchAsync(run, stopping).ConfigureAwait(false);
        }
        finally
        {
            if (scope is null)
            {
                _launches.Release();
            }
        }

        if (scope is null)
        {
            return;
        }

        RunnerLog.TaskLaunched(_logger, run.TaskId, run.Unit);
        // The end comes from systemd-run itself (it is the wrapper once the scope exists); the
        // start and the output, from the spool watch.
        var outcome = scope.WaitForOutcomeAsync(stopping);
        var slot = ReleaseLaunchSlotOnceStartedAsync(run, outcome, stopping);
        using (WatchSpool(run))
        {
            var ended = await WatchAsync(run, outcome, stopping).ConfigureAwait(false);
            await CompleteAsync(run, ended, stopping).ConfigureAwait(false);
        }

        await slot.ConfigureAwait(false);
    }

    // systemd-run is started long before its scope exists: it asks systemd for the unit over D-Bus
    // and only then execs the wrapper. Releasing the slot when the process starts let a burst of
    // thousands of tiny tasks put thousands of systemd-run processes in front of systemd at once,
    // which stalled it (found with 10,000 tasks of 0 cores: 3,776 waiting systemd-runs, no task
    // progressing). So the slot is held until the wrapper has written its start marker, or
    // systemd-run has ended, or the Runner stops.
    private async Task ReleaseLaunchSlotOnceStartedAsync(TaskRun run, Task outcome, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            var stopped = Task.Delay(Timeout.InfiniteTimeSpan, done.Token);
            while (run.StartedAt is null && !outcome.IsCompleted && !stopped.IsCompleted)
            {
                await Task.WhenAny(run.NextChange, outcome, stopped).ConfigureAwait(false);
            }
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            _launches.Release();
        }
    }

    // The launch itself; null when the task ended without one (rejected, killed first, systemd-run refused).
    private async Task<LaunchedScope?> LaunchAsync(TaskRun run, CancellationToken stopping)
    {
        ScopeRequest request;
        try
        {
            var account = await _mechanism.FindAccountAsync(run.Start.Spec?.User, stopping).ConfigureAwait(false)
                ?? throw new TaskRejectedException($"No such user on this node: '{run.Start.Spec?.User}'.");
            request = ScopeRequestMapper.Map(run.Start, account, _context, run.Directory.Spool.Directory);
        }
        catch (TaskRejectedException ex)
        {
            Finish(run, TaskVerdict.LaunchFailed(ex.Message));
            return null;
        }

        if (run.StopReason != StopReason.None)
        {
            Finish(run, new TaskVerdict(Contracts.V1.TaskState.Killed, null, null, "killed before it started"));
            return null;
        }

        try
        {
            return await _mechanism.LaunchAsync(request, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ScopeLaunchException or ArgumentException)
        {
            Finish(run, TaskVerdict.LaunchFailed(ex.Message));
            return null;
        }
    }

    private async Task RunAdoptedCoreAsync(TaskRun run, bool alive, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(run);
        ScopeOutcome outcome;
        if (!Directory.Exists(run.Directory.Spool.Directory))
        {
            // The Runner stopped between recording the task and launching it.
            outcome = new LaunchFailed("the Runner stopped before it launched the task");
        }
        else if (alive)
        {
            RunnerLog.TaskAdopted(_logger, run.TaskId, run.Unit);
            using var watch = WatchSpool(run);
            outcome = await WatchAsync(run, _mechanism.WaitForAdoptedAsync(run.Directory.Spool, run.UnitName, () => run.NextChange, stopping), stopping).ConfigureAwait(false);
            await CompleteAsync(run, outcome, stopping).ConfigureAwait(false);
            return;
        }
        else
        {
            outcome = run.Directory.Spool.ClassifyEnded(wrapperExitCode: null, systemdRunError: null);
        }

        await CompleteAsync(run, outcome, stopping).ConfigureAwait(false);
    }

    /// <summary>Kills the task's scope (SIGTERM, SIGKILL after the grace period).</summary>
    /// <returns>Null when done (or nothing was left to do); otherwise what went wrong.</returns>
    public async Task<string?> KillAsync(TaskRun run, StopReason reason, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsRunning)
        {
            return null;
        }

        run.RequestStop(reason);
        if (run.StartedAt is null && !run.Directory.Spool.HasStarted)
        {
            // Not started yet: the supervisor stops it the moment it does, or never launches it.
            return null;
        }

        if (run.IsPaused)
        {
            // A stopped (v1) or frozen (v2) process never acts on SIGTERM: let it run again first.
            await TryAsync(() => _mechanism.ResumeAsync(run.UnitName, cancellationToken)).ConfigureAwait(false);
            run.IsPaused = false;
        }

        try
        {
            var result = await _mechanism.KillAsync(run.UnitName, grace, cancellationToken).ConfigureAwait(false);
            RunnerLog.TaskKilled(_logger, run.TaskId, reason.ToString(), result.ToString());
            return null;
        }
        catch (Exception ex) when (ex is SystemctlException or CommandStartException)
        {
            return ex.Message;
        }
    }

    /// <returns>Null when paused; otherwise why not.</returns>
    public Task<string?> PauseAsync(TaskRun run, CancellationToken cancellationToken) =>
        SetPausedAsync(run, paused: true, cancellationToken);

    /// <returns>Null when resumed; otherwise why not.</returns>
    public Task<string?> ResumeAsync(TaskRun run, CancellationToken cancellationToken) =>
        SetPausedAsync(run, paused: false, cancellationToken);

    private async Task<string?> SetPausedAsync(TaskRun run, bool paused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsRunning)
        {
            return $"Task {run.TaskId} has already ended.";
        }

        if (run.StartedAt is null)
        {
            return $"Task {run.TaskId} has not started yet.";
        }

        try
        {
            await (paused ? _mechanism.PauseAsync(run.UnitName, cancellationToken) : _mechanism.ResumeAsync(run.UnitName, cancellationToken)).ConfigureAwait(false);
            run.IsPaused = paused;
            return null;
        }
        catch (Exception ex) when (ex is SystemctlException or CommandStartException)
        {
            return ex.Message;
        }
    }

    // Until the main process ends: notes the started marker, enforces the timeout, and stops a
    // scope whose kill arrived before it started. Sleeps between changes of the task (spool
    // events, a stop request) and wakes for its end or its timeout; it never polls.
    private async Task<ScopeOutcome> WatchAsync(TaskRun run, Task<ScopeOutcome> outcome, CancellationToken stopping)
    {
        var pendingKillSent = false;
        var timeoutHandled = false;
        Task? timeout = null;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // One for the whole wait: a new one per wake-up would pile up on the token until the end.
        var noTimeout = Task.Delay(Timeout.Infinite, timer.Token);
        try
        {
            while (!outcome.IsCompleted)
            {
                // Taken before the state is read, so a change after the reads still wakes the wait below.
                var change = run.NextChange;
                if (run.StartedAt is null && run.Directory.Spool.HasStarted)
                {
                    // The time the marker was seen (the spool watch wakes this loop at once), never
                    // the marker's own mtime, which the task's user can set: the timeout is measured
                    // from here. MarkStarted persists it for a restarted Runner.
                    run.MarkStarted(_time.GetUtcNow());
                    RunnerLog.TaskStarted(_logger, run.TaskId, run.Unit);
                }

                if (run.StartedAt is { } startedAt)
                {
                    if (timeout is null && run.Timeout is { } limit)
                    {
                        // One timer from the recorded start: a re-adopted task that started before
                        // this Runner did has had part of its time already.
                        var passed = _time.GetUtcNow() - startedAt;
                        var remaining = limit - (passed > TimeSpan.Zero ? passed : TimeSpan.Zero);
                        timeout = Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, timer.Token);
                    }

                    if (!pendingKillSent && run.StopReason != StopReason.None)
                    {
                        pendingKillSent = true;
                        Background(run, KillAsync(run, run.StopReason, _tuning.DefaultKillGrace, stopping));
                    }

                    if (!timeoutHandled && timeout is { IsCompletedSuccessfully: true } && run.Timeout is { } expired)
                    {
                        timeoutHandled = true;
                        pendingKillSent = true;
                        RunnerLog.TaskTimedOut(_logger, run.TaskId, expired);
                        Background(run, KillAsync(run, StopReason.TimedOut, _tuning.DefaultKillGrace, stopping));
                    }
                }

                await Task.WhenAny(outcome, change, timeout is null || timeoutHandled ? noTimeout : timeout).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await timer.CancelAsync().ConfigureAwait(false);
        }

        if (run.StartedAt is null && run.Directory.Spool.HasStarted)
        {
            // A task that ended before its start was noticed still started.
            run.MarkStarted(_time.GetUtcNow());
        }

        return await outcome.ConfigureAwait(false);
    }

    // Spool changes wake whoever waits on the task (this supervisor, the output senders). When
    // no watch can be had, a timer stands in for it, so output is late but never stuck.
    private IDisposable WatchSpool(TaskRun run)
    {
        IDisposable watch;
        try
        {
            watch = _mechanism.WatchSpool(run.Directory.Spool, run.SpoolChanged);
        }
        catch (ObjectDisposedException ex)
        {
            // The Runner is shutting down: the task lives on and the next Runner re-adopts it.
            throw new OperationCanceledException("The Runner is stopping.", ex);
        }
        catch (IOException ex)
        {
            RunnerLog.SpoolUnwatched(_logger, run.TaskId, ex.Message);
            watch = _time.CreateTimer(_ => run.SpoolChanged(), null, _tuning.UnwatchedSpoolInterval, _tuning.UnwatchedSpoolInterval);
        }

        // Whatever was written before the watch existed is read now.
        run.SpoolChanged();
        return watch;
    }

    // After the main process ended: read the OOM count while the cgroup still exists, make sure
    // no background process of the task outlives it, then decide and record the state.
    //
    // The fast path, taken by nearly every task: the scope's cgroup (found from the slice, no
    // systemctl) has no process left. Nothing can write to the spool any more, so the output is
    // final and the result is recorded (and so sent) at once; stopping the emptied unit, which
    // on cgroup v1 in a container systemd keeps "active", is cleanup that follows, batched with
    // others (EmptiedScopeStopper). The result is persisted before the Host hears of it, so a
    // kill -9 in between loses nothing; at worst an empty scope unit is left loaded. Otherwise
    // (processes left, or no cgroup to read) the scope is stopped first, as the output sender
    // relies on: the files are final once there is a result.
    private async Task CompleteAsync(TaskRun run, ScopeOutcome outcome, CancellationToken stopping)
    {
        long? oomKills = null;
        if (outcome is not LaunchFailed)
        {
            var cgroup = _mechanism.PredictCgroup(run.UnitName, _context.Slice);
            if (outcome is not Systemd.TaskExited { Record.OomKills: not null })
            {
                oomKills = cgroup?.ReadOomKills() ?? await _mechanism.ReadOomKillsAsync(run.UnitName, stopping).ConfigureAwait(false);
            }

            if (cgroup is not null && !cgroup.HasProcesses())
            {
                Finish(run, FinalStateDecider.Decide(outcome, run.StopReason, oomKills, run.Timeout) with { Usage = UsageOf(outcome) });
                _mechanism.StopEmptied(run.UnitName);
                return;
            }

            await TryAsync(() => _mechanism.KillAsync(run.UnitName, _tuning.DefaultKillGrace, stopping)).ConfigureAwait(false);
        }

        Finish(run, FinalStateDecider.Decide(outcome, run.StopReason, oomKills, run.Timeout) with { Usage = UsageOf(outcome) });
    }

    // Read inside the scope by the wrapper, the one reader that is sure the cgroup still exists.
    private static Contracts.V1.TaskUsage? UsageOf(ScopeOutcome outcome)
    {
        if (outcome is not Systemd.TaskExited { Record: var record } || (record.CpuTime is null && record.PeakMemoryBytes is null))
        {
            return null;
        }

        var usage = new Contracts.V1.TaskUsage();
        if (record.CpuTime is { } cpu)
        {
            usage.CpuTime = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(cpu);
        }

        if (record.PeakMemoryBytes is { } peak)
        {
            usage.PeakMemoryBytes = peak;
        }

        return usage;
    }

    // A supervisor that fails unexpectedly must still end the task, or the Host would wait for
    // it forever; the Runner's shutdown is the one exception (the task lives on).
    private async Task GuardAsync(TaskRun run, Func<Task> supervise)
    {
        try
        {
            // Off the caller's thread: launching starts processes, which the caller need not wait for.
            await Task.Run(supervise).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RunnerLog.SupervisionFailed(_logger, ex);
            Finish(run, run.StartedAt is null
                ? TaskVerdict.LaunchFailed($"The Runner failed to start the task: {ex.Message}")
                : new TaskVerdict(Contracts.V1.TaskState.Failed, null, null, $"The Runner lost track of the task: {ex.Message}"));
        }
    }

    private void Finish(TaskRun run, TaskVerdict verdict)
    {
        try
        {
            run.Finish(verdict, _time.GetUtcNow());
        }
        catch (IOException ex)
        {
            RunnerLog.ResultNotPersisted(_logger, run.TaskId, ex.Message);
        }

        RunnerLog.TaskEnded(_logger, run.TaskId, verdict.State.ToString(), verdict.Reason);
    }

    private void Background(TaskRun run, Task<string?> kill) =>
        _ = kill.ContinueWith(
            t =>
            {
                if (t.IsFaulted || t.Result is not null)
                {
                    RunnerLog.KillFailed(_logger, run.TaskId, t.Exception?.GetBaseException().Message ?? t.Result ?? string.Empty);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.NotOnCanceled,
            TaskScheduler.Default);

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SystemctlException or CommandStartException)
        {
            RunnerLog.SystemctlFailed(_logger, ex.Message);
        }
    }
}
