using CliWrap;
using CliWrap.Buffered;

namespace RiverRun.Systemd;

/// <summary>
/// A scope this Runner started. After the exec, the systemd-run process *is* the wrapper, so its
/// exit marks the end of the task, and the exit record is already in place by then (the
/// wrapper writes it before exiting).
/// </summary>
/// <remarks>
/// Not disposable on purpose: CliWrap releases the process when it exits, and disposing a
/// <see cref="CommandTask{TResult}"/> before that throws. A scope outlives the Runner's interest
/// in it.
/// </remarks>
public sealed class LaunchedScope
{
    private readonly CommandTask<BufferedCommandResult> _execution;

    internal LaunchedScope(string unitName, TaskSpool spool, CommandTask<BufferedCommandResult> execution)
    {
        UnitName = unitName;
        Spool = spool;
        _execution = execution;
    }

    /// <summary>The unit name without suffix, e.g. "riverrun-abc" (the unit is "riverrun-abc.scope").</summary>
    public string UnitName { get; }

    public TaskSpool Spool { get; }

    public string SpoolDirectory => Spool.Directory;

    /// <summary>The pid of systemd-run, which becomes the wrapper once the scope exists.</summary>
    public int ProcessId => _execution.ProcessId;

    /// <summary>
    /// Waits until the wrapper exits and tells what happened. Cancelling stops the waiting only:
    /// the task keeps running (kill it through its scope).
    /// </summary>
    public async Task<ScopeOutcome> WaitForOutcomeAsync(CancellationToken cancellationToken = default)
    {
        var result = await _execution.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Spool.ClassifyEnded(result.ExitCode, result.StandardError);
    }
}
