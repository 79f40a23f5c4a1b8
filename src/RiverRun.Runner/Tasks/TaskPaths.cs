namespace RiverRun.Runner.Tasks;

/// <summary>
/// Where a Runner keeps its tasks: its own records under <paramref name="TasksRoot"/> (root's,
/// 0700: no task's user can reach them) and the wrappers' spools under
/// <paramref name="SpoolsRoot"/> (0711: each task's user passes through to its own spool, but
/// cannot list the others). See <see cref="RunnerFileModes"/> for the whole plan.
/// </summary>
/// <param name="TasksRoot">&lt;state&gt;/&lt;name&gt;/tasks: one directory per held task.</param>
/// <param name="SpoolsRoot">&lt;state&gt;/&lt;name&gt;/spool: one spool per task, owned by its user.</param>
internal sealed record TaskPaths(string TasksRoot, string SpoolsRoot)
{
    /// <summary>The Runner's own directory for task <paramref name="taskId"/>.</summary>
    public string Task(string taskId) => Path.Combine(TasksRoot, taskId);

    /// <summary>The spool the wrapper of task <paramref name="taskId"/> writes.</summary>
    public string Spool(string taskId) => Path.Combine(SpoolsRoot, taskId);
}
