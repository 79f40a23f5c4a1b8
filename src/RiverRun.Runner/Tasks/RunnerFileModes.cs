namespace RiverRun.Runner.Tasks;

/// <summary>
/// Who may touch what in a Runner's state directory. Pure: the plan is unit-tested entry by
/// entry, and <see cref="Hosting.RunnerStateDirectory"/>, <see cref="TaskDirectory"/> and the
/// wrapper apply it.
/// <code>
/// &lt;state&gt;/&lt;name&gt;/            root 0711  passed through by tasks' users, never listed
///     runner.lock              root 0600
///     tasks/                   root 0700  the Runner's records: no task's user reaches them
///         &lt;id&gt;/                root 0700  task.pb, stop, started-at, result.pb (0600)
///     spool/                   root 0711  passed through, never listed
///         &lt;id&gt;/                task's user 0700  started, stdout, stderr, exit, wrapper.log
///                                       (0600, the wrapper's umask 077)
/// </code>
/// The only things a task's user can write are its own spool's files; the Runner reads them as
/// untrusted and takes nothing from them that decides another user's fate or the task's own
/// limits (its start time, so its timeout, is the Runner's record, not the marker's mtime).
/// </summary>
internal static class RunnerFileModes
{
    /// <summary>Passed through by everyone, listed and written by root only (0711).</summary>
    public const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>A directory of its owner's alone (0700).</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>A file of its owner's alone (0600).</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The tasks directory's name under the Runner's state directory.</summary>
    public const string TasksName = "tasks";

    /// <summary>The spools directory's name under the Runner's state directory.</summary>
    public const string SpoolsName = "spool";

    /// <summary>
    /// The directories a Runner with state directory <paramref name="stateDirectory"/> creates at
    /// start, with their modes, in creation order.
    /// </summary>
    /// <param name="stateDirectory">&lt;state&gt;/&lt;name&gt;.</param>
    /// <param name="legacySpoolsInTasks">
    /// Whether tasks started by an older Runner still have their spool inside their task directory
    /// (tasks/&lt;id&gt;/spool): their wrappers must still pass through tasks/, so it stays 0711 until
    /// they are gone, and is tightened at the next start after that.
    /// </param>
    public static IReadOnlyList<(string Path, UnixFileMode Mode)> StateDirectories(string stateDirectory, bool legacySpoolsInTasks)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        return
        [
            (stateDirectory, Traversable),
            (Path.Combine(stateDirectory, TasksName), legacySpoolsInTasks ? Traversable : PrivateDirectory),
            (Path.Combine(stateDirectory, SpoolsName), Traversable),
        ];
    }
}
