using Google.Protobuf.WellKnownTypes;
using RiverRun.Contracts.V1;
using WireTaskExited = RiverRun.Contracts.V1.TaskExited;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// One task this Runner holds: what it was asked to run, whether its scope has started, how it
/// ended. Shared by the supervisor (which changes it) and every connection's output sender
/// (which reads it); all state changes go through here, and those that must survive a Runner
/// restart are written to the task's directory first.
/// </summary>
internal sealed class TaskRun
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _startedAt;
    private WireTaskExited? _result;
    private StopReason _stopReason;
    private bool _paused;
    private bool _forgotten;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskRun(StartTask start, TaskDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(directory);
        Start = start;
        Directory = directory;
        _stopReason = directory.ReadStopReason();
        _result = directory.ReadResult();
        _startedAt = directory.ReadStartedAt();
    }

    public string TaskId => Start.TaskId;

    public StartTask Start { get; }

    public TaskDirectory Directory { get; }

    /// <summary>"riverrun-&lt;id&gt;": the unit name systemd-run gets (it appends ".scope").</summary>
    public string UnitName => Systemd.ScopeRequest.UnitPrefix + TaskId;

    /// <summary>"riverrun-&lt;id&gt;.scope".</summary>
    public string Unit => UnitName + ".scope";

    /// <summary>The task's timeout; null for none.</summary>
    public TimeSpan? Timeout => Start.Spec?.Timeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero ? timeout.ToTimeSpan() : null;

    /// <summary>The work that drives the scope to its end; completes when the task has a result.</summary>
    public Task Supervision { get; set; } = Task.CompletedTask;

    public DateTimeOffset? StartedAt
    {
        get
        {
            lock (_gate)
            {
                return _startedAt;
            }
        }
    }

    /// <summary>The final TaskExited (lengths not filled in); null while the task has not ended.</summary>
    public WireTaskExited? Result
    {
        get
        {
            lock (_gate)
            {
                return _result;
            }
        }
    }

    public bool IsRunning => Result is null;

    public StopReason StopReason
    {
        get
        {
            lock (_gate)
            {
                return _stopReason;
            }
        }
    }

    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _paused;
            }
        }

        set
        {
            lock (_gate)
            {
                _paused = value;
            }
        }
    }

    /// <summary>True once the Host said forget: its output is no longer sent.</summary>
    public bool IsForgotten
    {
        get
        {
            lock (_gate)
            {
                return _forgotten;
            }
        }
    }

    public void MarkForgotten()
    {
        lock (_gate)
        {
            _forgotten = true;
            SignalChange();
        }
    }

    /// <summary>
    /// Completes at the next change of <see cref="StartedAt"/>, <see cref="Result"/>,
    /// <see cref="StopReason"/> or <see cref="IsForgotten"/>, or of the spool's files (see
    /// <see cref="SpoolChanged"/>). Taken before reading them, it lets a reader sleep until
    /// something happened without missing a change: nothing about a task is polled.
    /// </summary>
    public Task NextChange
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Something in the spool may have changed (output written, started marker, exit record).</summary>
    public void SpoolChanged()
    {
        lock (_gate)
        {
            SignalChange();
        }
    }

    // Called under _gate.
    private void SignalChange()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>
    /// Records that the scope started, at <paramref name="at"/> by the Runner's clock; the first
    /// time counts, and is persisted so a restarted Runner measures the timeout from the same start.
    /// </summary>
    public void MarkStarted(DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_startedAt is not null)
            {
                return;
            }

            try
            {
                Directory.WriteStartedAt(at);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Kept in memory; a Runner restarted before the end then falls back on the time
                // the task was recorded, which is earlier (see TaskDirectory.ReadStartedAt).
            }

            _startedAt = at;
            SignalChange();
        }
    }

    /// <summary>Records why the Runner stops the scope; the first reason wins and is persisted.</summary>
    /// <returns>The reason now in force.</returns>
    public StopReason RequestStop(StopReason reason)
    {
        lock (_gate)
        {
            if (_stopReason == StopReason.None && _result is null)
            {
                // Persisted before any signal goes out, so a Runner restarted mid-kill still
                // knows the task did not die on its own.
                try
                {
                    Directory.WriteStopReason(reason);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The stop still happens; only a Runner restart before the end would forget why.
                }

                _stopReason = reason;
                // The supervisor acts on it at once (e.g. stops a scope that starts right now).
                SignalChange();
            }

            return _stopReason;
        }
    }

    /// <summary>Sets the final result once; later calls are ignored (final states are final).</summary>
    /// <exception cref="IOException">The result could not be persisted (it is still kept in memory).</exception>
    public WireTaskExited Finish(TaskVerdict verdict, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        WireTaskExited result;
        lock (_gate)
        {
            if (_result is not null)
            {
                return _result;
            }

            result = new WireTaskExited
            {
                TaskId = TaskId,
                State = verdict.State,
                Reason = verdict.Reason,
                FinishedAt = Timestamp.FromDateTimeOffset(finishedAt),
                Usage = verdict.Usage,
            };
            if (verdict.ExitCode is not null || verdict.Signal is not null)
            {
                result.Exit = new ExitStatus();
                if (verdict.ExitCode is { } code)
                {
                    result.Exit.ExitCode = code;
                }

                if (verdict.Signal is { } signal)
                {
                    result.Exit.Signal = signal;
                }
            }

            // On disk before anyone sees it: the sender reports the end as soon as it sees the
            // result, and once the Host has stored it the spool (with this directory) may be
            // dropped at any moment, so nothing may be written here after that.
            Exception? notPersisted = null;
            try
            {
                Directory.WriteResult(result);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                notPersisted = ex;
            }

            _result = result;
            _paused = false;
            SignalChange();
            if (notPersisted is not null)
            {
                throw notPersisted as IOException ?? new IOException(notPersisted.Message, notPersisted);
            }
        }

        return result;
    }
}
