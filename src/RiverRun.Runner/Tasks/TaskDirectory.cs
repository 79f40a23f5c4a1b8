using System.Globalization;
using CliWrap.Buffered;
using Google.Protobuf;
using RiverRun.Contracts.V1;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// One task's state on disk, so that a restarted Runner knows everything it knew:
/// <code>
/// &lt;tasks&gt;/&lt;task-id&gt;/           owned by the Runner (root), mode 0700
///     task.pb                  the StartTask as received (protobuf)
///     stop                     "killed" or "timed-out", written before the Runner signals the scope
///     started-at               when the Runner saw the wrapper start (Unix milliseconds)
///     result.pb                the final TaskExited (without lengths), once determined
/// &lt;spools&gt;/&lt;task-id&gt;/          the wrapper's directory, owned by the task's user, mode 0700:
///                              started, stdout, stderr, exit, wrapper.log
/// </code>
/// The Runner's own files are out of the task user's reach, not merely beside the spool: the
/// task's user must not be able to forge a stop reason, a start time or a result, nor read the
/// task's spec (its environment may hold other secrets of the submitter's).
/// <para>
/// Records are written whole (a temporary file, then a rename) but not flushed to disk: they
/// exist so that a restarted Runner re-adopts its tasks, and a Runner process that dies leaves
/// the page cache intact. Only losing the machine loses unflushed data, and that also ends every
/// scope on it; the Host, whose database is the system of record, then learns from the Runner's
/// next registration that the tasks are gone. An fsync here cost 1–4 ms on every launch and
/// every end, on the path between submit and result. A record torn by a crash reads as missing:
/// task.pb and result.pb must name their own task.
/// </para>
/// </summary>
internal sealed class TaskDirectory
{
    public const string SpecFile = "task.pb";
    public const string StopFile = "stop";
    public const string StartedAtFile = "started-at";
    public const string ResultFile = "result.pb";

    /// <summary>Where a Runner before this layout put the spool: inside the task directory.</summary>
    public const string LegacySpoolName = "spool";

    public TaskDirectory(string path, string spoolDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        Path = path;
        Spool = new TaskSpool(spoolDirectory);
    }

    public string Path { get; }

    /// <summary>The task's id: the directory's name.</summary>
    public string TaskId => System.IO.Path.GetFileName(Path);

    public TaskSpool Spool { get; }

    /// <summary>The directory of task <paramref name="taskId"/>, whose spool is where its wrapper was told to write.</summary>
    public static TaskDirectory Open(TaskPaths paths, string taskId)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var path = paths.Task(taskId);
        // A task launched by an older Runner keeps the spool its wrapper is writing to.
        var legacy = System.IO.Path.Combine(path, LegacySpoolName);
        return new TaskDirectory(path, Directory.Exists(legacy) ? legacy : paths.Spool(taskId));
    }

    /// <summary>Creates the directory and records the StartTask in it.</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public static TaskDirectory Create(TaskPaths paths, StartTask start)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(start);
        var directory = new TaskDirectory(paths.Task(start.TaskId), paths.Spool(start.TaskId));
        try
        {
            Directory.CreateDirectory(directory.Path, RunnerFileModes.PrivateDirectory);
            File.SetUnixFileMode(directory.Path, RunnerFileModes.PrivateDirectory);
            directory.WriteAtomically(SpecFile, start.ToByteArray());
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"Cannot create the task directory '{directory.Path}': {ex.Message}", ex);
        }

        return directory;
    }

    /// <summary>The StartTask this directory was created for.</summary>
    /// <exception cref="InvalidDataException">task.pb is missing or corrupt.</exception>
    public StartTask ReadSpec()
    {
        StartTask start;
        try
        {
            start = StartTask.Parser.ParseFrom(File.ReadAllBytes(Combine(SpecFile)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"Cannot read '{Combine(SpecFile)}': {ex.Message}", ex);
        }

        // An empty file parses as an empty message: what a crash can leave of an unflushed record.
        return start.TaskId == TaskId
            ? start
            : throw new InvalidDataException($"'{Combine(SpecFile)}' is empty or is not the record of task {TaskId}.");
    }

    /// <summary>Records why the Runner stops the scope; an earlier reason is kept.</summary>
    public void WriteStopReason(StopReason reason)
    {
        if (reason == StopReason.None || File.Exists(Combine(StopFile)))
        {
            return;
        }

        WriteAtomically(StopFile, System.Text.Encoding.ASCII.GetBytes(reason == StopReason.Killed ? "killed" : "timed-out"));
    }

    public StopReason ReadStopReason()
    {
        try
        {
            return File.ReadAllText(Combine(StopFile)).Trim() switch
            {
                "killed" => StopReason.Killed,
                "timed-out" => StopReason.TimedOut,
                _ => StopReason.None,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StopReason.None;
        }
    }

    public void WriteResult(Contracts.V1.TaskExited result)
    {
        ArgumentNullException.ThrowIfNull(result);
        WriteAtomically(ResultFile, result.ToByteArray());
    }

    /// <summary>The recorded result; null when the task has not ended (or the file is unreadable).</summary>
    public Contracts.V1.TaskExited? ReadResult()
    {
        try
        {
            if (!File.Exists(Combine(ResultFile)))
            {
                return null;
            }

            var result = Contracts.V1.TaskExited.Parser.ParseFrom(File.ReadAllBytes(Combine(ResultFile)));
            // An empty or torn file (see the class remarks) is no result: the end is then decided
            // again from the spool.
            return result.TaskId == TaskId && result.State != Contracts.V1.TaskState.Unspecified ? result : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Records when the Runner saw the wrapper start; an earlier record is kept.</summary>
    /// <exception cref="IOException">The record cannot be written.</exception>
    public void WriteStartedAt(DateTimeOffset startedAt)
    {
        if (File.Exists(Combine(StartedAtFile)))
        {
            return;
        }

        WriteAtomically(StartedAtFile, System.Text.Encoding.ASCII.GetBytes(startedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// When the task started, by the Runner's own clock; null while the wrapper has not started.
    /// Never the started marker's time: the marker is the task user's file, and a user who set
    /// its mtime ahead would stretch the task's timeout. The Runner's record is made the moment it
    /// sees the marker; a Runner that stopped before it could make one falls back on the time it
    /// recorded the StartTask (task.pb), which is earlier than the real start, never later.
    /// </summary>
    public DateTimeOffset? ReadStartedAt()
    {
        try
        {
            var text = File.ReadAllText(Combine(StartedAtFile)).Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No record (yet): see below.
        }

        var spec = new FileInfo(Combine(SpecFile));
        return Spool.HasStarted && spec.Exists ? new DateTimeOffset(spec.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }

    /// <summary>The task's spool and directory, those of the two that exist.</summary>
    public IReadOnlyList<string> ExistingPaths => [.. new[] { Spool.Directory, Path }.Where(Directory.Exists)];

    /// <summary>Removes the task's directory and its spool now (see <see cref="RemoveAsync"/>).</summary>
    /// <exception cref="IOException">rm could not be started or failed; its message is included.</exception>
    public Task DeleteAsync() => RemoveAsync(ExistingPaths);

    /// <summary>Removes <paramref name="paths"/> (task directories and spools) with one rm.</summary>
    /// <remarks>
    /// With GNU rm, not a path-based recursive delete: the spool belongs to the task's user, who
    /// could swap a subdirectory for a symbolic link while a root Runner walks it by path, and so
    /// have root delete files elsewhere. rm walks by directory descriptors and never follows a link.
    /// </remarks>
    /// <exception cref="IOException">rm could not be started or failed; its message is included.</exception>
    public static async Task RemoveAsync(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return;
        }

        BufferedCommandResult rm;
        try
        {
            // No cancellation: an rm killed halfway leaves half a task directory for the next
            // start to trip over, and finishing takes moments.
            rm = await Commands.Wrap("rm").WithArguments(["-rf", "--one-file-system", "--", .. paths]).StartBuffered(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CommandStartException ex)
        {
            throw new IOException($"could not start rm to delete {string.Join(' ', paths)}: {ex.Message}", ex);
        }

        if (!rm.IsSuccess)
        {
            throw new IOException($"rm -rf {string.Join(' ', paths)} failed: {rm.StandardError.Trim()}");
        }
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    // Written whole or not at all: a Runner killed mid-write must not leave a half record. Not
    // flushed to disk (see the class remarks).
    private void WriteAtomically(string name, byte[] content)
    {
        var temporary = Combine(name + ".tmp");
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = RunnerFileModes.PrivateFile,
        }))
        {
            stream.Write(content);
        }

        File.Move(temporary, Combine(name), overwrite: true);
    }
}
