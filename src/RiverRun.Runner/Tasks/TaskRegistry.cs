using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RiverRun.Contracts.V1;
using RiverRun.Core;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// The tasks this Runner holds, running or ended-but-not-forgotten, for the whole life of the
/// Runner process (connections come and go; tasks stay). Recovers them from the tasks directory
/// at start, and deletes a task's directory when the Host forgets it or its retention expires.
/// </summary>
internal sealed class TaskRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskRun> _tasks = new(StringComparer.Ordinal);
    private readonly TaskPaths _paths;
    private readonly TaskSupervisor _supervisor;
    private readonly RunnerTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startGate = new();
    private readonly TaskDirectoryRemover _remover;

    public TaskRegistry(TaskPaths paths, TaskSupervisor supervisor, RunnerTuning tuning, TimeProvider time, ILogger<TaskRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _paths = paths;
        _supervisor = supervisor;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        _remover = new TaskDirectoryRemover(time);
    }

    public TaskSupervisor Supervisor => _supervisor;

    /// <summary>The tasks held now, in task id order.</summary>
    public IReadOnlyList<TaskRun> Tasks => [.. _tasks.Values.OrderBy(t => t.TaskId, StringComparer.Ordinal)];

    /// <summary>Ids of the tasks whose scopes run now (for heartbeats).</summary>
    public IReadOnlyList<string> RunningTaskIds => [.. Tasks.Where(t => t.IsRunning).Select(t => t.TaskId)];

    /// <summary>What Register reports as held_tasks.</summary>
    public IReadOnlyList<HeldTask> HeldTasks =>
        [.. Tasks.Select(t => new HeldTask { TaskId = t.TaskId, Running = t.IsRunning, Unit = t.Unit })];

    public TaskRun? Find(string taskId) => _tasks.GetValueOrDefault(taskId);

    /// <summary>
    /// Reads every task directory: ended tasks are held with their result; scopes that still run
    /// are re-adopted; scopes that ended while the Runner was away get their result now.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_paths.TasksRoot))
        {
            return;
        }

        foreach (var path in Directory.EnumerateDirectories(_paths.TasksRoot))
        {
            var name = Path.GetFileName(path);
            if (!TaskId.TryParse(name, out _))
            {
                RunnerLog.ForeignDirectorySkipped(_logger, path);
                continue;
            }

            var directory = TaskDirectory.Open(_paths, name);
            StartTask start;
            try
            {
                start = directory.ReadSpec();
            }
            catch (InvalidDataException ex)
            {
                // Without its spec the task cannot be reported or re-adopted; a Runner killed
                // while creating the directory leaves exactly this.
                RunnerLog.UnreadableTaskDeleted(_logger, path, ex.Message);
                await TryDeleteAsync(directory).ConfigureAwait(false);
                continue;
            }

            var run = new TaskRun(start, directory);
            _tasks[run.TaskId] = run;
            if (run.IsRunning)
            {
                var alive = Directory.Exists(directory.Spool.Directory)
                    && await _supervisor.Mechanism.IsAliveAsync(run.UnitName, cancellationToken).ConfigureAwait(false);
                var adoption = _supervisor.RunAdoptedAsync(run, alive, _stopping.Token);
                run.Supervision = adoption;
                if (!alive)
                {
                    // Decided from the spool at once, so Register reports it as ended.
                    await adoption.ConfigureAwait(false);
                }
            }
        }

        await DeleteOrphanSpoolsAsync().ConfigureAwait(false);
        RunnerLog.Recovered(_logger, _tasks.Count, _tasks.Values.Count(t => t.IsRunning));
    }

    /// <summary>
    /// Starts a task, or returns the one already held under that id (a StartTask repeated after
    /// a reconnect must not run the task twice).
    /// </summary>
    /// <exception cref="ArgumentException">The task id is not a valid id.</exception>
    public (TaskRun Run, bool IsNew) Start(StartTask start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!TaskId.TryParse(start.TaskId, out _, out var error))
        {
            throw new ArgumentException(error, nameof(start));
        }

        lock (_startGate)
        {
            if (_tasks.TryGetValue(start.TaskId, out var existing))
            {
                return (existing, false);
            }

            TaskRun run;
            try
            {
                run = new TaskRun(start, TaskDirectory.Create(_paths, start));
                run.Supervision = _supervisor.RunNewAsync(run, _stopping.Token);
            }
            catch (IOException ex)
            {
                // Nowhere to record it: the task is held in memory only, as a launch failure.
                run = new TaskRun(start, TaskDirectory.Open(_paths, start.TaskId));
                run.Finish(TaskVerdict.LaunchFailed($"The Runner cannot record the task: {ex.Message}"), _time.GetUtcNow());
            }

            _tasks[run.TaskId] = run;
            RunnerLog.TaskAccepted(_logger, run.TaskId, run.Start.Spec?.Argv.Count ?? 0);
            return (run, true);
        }
    }

    /// <summary>
    /// The Host no longer wants the task: its output is not sent any more, a running scope is
    /// stopped, and its directory is deleted.
    /// </summary>
    public async Task ForgetAsync(string taskId, CancellationToken cancellationToken)
    {
        if (!_tasks.TryGetValue(taskId, out var run))
        {
            return;
        }

        run.MarkForgotten();
        if (run.IsRunning)
        {
            var error = await _supervisor.KillAsync(run, StopReason.Killed, _tuning.DefaultKillGrace, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                RunnerLog.KillFailed(_logger, taskId, error);
            }

        }

        // Its supervisor may still be winding down (it recorded the result a moment ago): the
        // directory goes only once nothing writes to it any more.
        await WaitQuietlyAsync(run.Supervision).ConfigureAwait(false);
        _tasks.TryRemove(taskId, out _);
        // With the deletions of other tasks let go about now: one rm for many (TaskDirectoryRemover).
        await TryDeleteAsync(run.Directory, batched: true).ConfigureAwait(false);
        RunnerLog.TaskForgotten(_logger, taskId);
    }

    /// <summary>
    /// The Host persisted the task's end and stored these lengths of its output durably: when the
    /// task has ended here too and its spool holds exactly that much, the task is let go (its
    /// directory deleted, nothing of it kept in memory). Anything else keeps the spool, so a Host
    /// that is wrong about the lengths loses nothing.
    /// </summary>
    /// <returns>Null when the spool was dropped; otherwise why it is kept.</returns>
    public async Task<string?> DropSpoolAsync(string taskId, long stdoutLength, long stderrLength, CancellationToken cancellationToken)
    {
        if (!_tasks.TryGetValue(taskId, out var run))
        {
            return "this Runner holds no such task";
        }

        if (run.IsRunning)
        {
            return "the task has not ended here";
        }

        var spool = run.Directory.Spool;
        var (stdout, stderr) = (SpoolLength(spool.StandardOutputPath), SpoolLength(spool.StandardErrorPath));
        if (stdout != stdoutLength || stderr != stderrLength)
        {
            return $"the spool holds stdout {stdout} and stderr {stderr} bytes, the Host stored {stdoutLength} and {stderrLength}";
        }

        await ForgetAsync(taskId, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // The bytes a stream's file holds; a missing file (the task printed nothing) holds none.
    private static long SpoolLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    /// <summary>Deletes ended tasks whose retention has expired; runs until cancelled.</summary>
    public async Task SweepRetentionAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var expired = Tasks.Where(run => run.Result is { FinishedAt: { } finished } && finished.ToDateTimeOffset() + _tuning.FinishedRetention <= now).ToList();
            foreach (var run in expired)
            {
                RunnerLog.RetentionExpired(_logger, run.TaskId);
            }

            // Together, so their directories go in one batch (TaskDirectoryRemover), not one after another.
            await Task.WhenAll(expired.Select(run => ForgetAsync(run.TaskId, cancellationToken))).ConfigureAwait(false);

            await Task.Delay(_tuning.RetentionSweepInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops supervising (the tasks themselves keep running) and waits for the supervisors to let go.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var run in _tasks.Values)
        {
            await WaitQuietlyAsync(run.Supervision).ConfigureAwait(false);
        }

        await _remover.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WaitQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The Runner is shutting down; the scope lives on and is re-adopted later.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RunnerLog.SupervisionFailed(_logger, ex);
        }
    }

    // A spool whose task directory is gone (a Runner killed halfway through deleting a task, or
    // an operator's cleanup) would never be deleted otherwise; its task is not held any more.
    private async Task DeleteOrphanSpoolsAsync()
    {
        if (!Directory.Exists(_paths.SpoolsRoot))
        {
            return;
        }

        foreach (var spool in Directory.EnumerateDirectories(_paths.SpoolsRoot))
        {
            var name = Path.GetFileName(spool);
            if (TaskId.TryParse(name, out _) && !_tasks.ContainsKey(name) && !Directory.Exists(_paths.Task(name)))
            {
                RunnerLog.OrphanSpoolDeleted(_logger, spool);
                await TryDeleteAsync(new TaskDirectory(_paths.Task(name), spool)).ConfigureAwait(false);
            }
        }
    }

    private async Task TryDeleteAsync(TaskDirectory directory, bool batched = false)
    {
        try
        {
            await (batched ? _remover.RemoveAsync(directory) : directory.DeleteAsync()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RunnerLog.DeleteFailed(_logger, directory.Path, ex.Message);
        }
        catch (OperationCanceledException) when (batched)
        {
            // The Runner is stopping: the directory stays, and the next start reports the task as ended.
        }
    }
}
