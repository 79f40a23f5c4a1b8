namespace RiverRun.Systemd;

/// <summary>
/// A scope this Runner started. After the exec, the systemd-run process *is* the wrapper, so its
/// exit marks the end of the task, and the exit record is already in place by then (the
/// wrapper renames it before exiting).
/// </summary>
public sealed class LaunchedScope : IDisposable
{
    internal LaunchedScope(string unitName, TaskSpool spool, RunningProcess process)
    {
        UnitName = unitName;
        Spool = spool;
        Process = process;
    }

    /// <summary>The unit name without suffix, e.g. "riverrun-abc" (the unit is "riverrun-abc.scope").</summary>
    public string UnitName { get; }

    public TaskSpool Spool { get; }

    public string SpoolDirectory => Spool.Directory;

    /// <summary>systemd-run, which becomes the wrapper once the scope exists.</summary>
    public RunningProcess Process { get; }

    /// <summary>Waits until the wrapper exits and tells what happened.</summary>
    public async Task<ScopeOutcome> WaitForOutcomeAsync(CancellationToken cancellationToken = default)
    {
        var result = await Process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return Spool.ClassifyEnded(result.ExitCode, result.StandardError);
    }

    public void Dispose() => Process.Dispose();
}
