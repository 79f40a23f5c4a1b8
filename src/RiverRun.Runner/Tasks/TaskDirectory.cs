using CliWrap.Buffered;
using Google.Protobuf;
using RiverRun.Contracts.V1;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// One task's state on disk, so that a restarted Runner knows everything it knew:
/// <code>
/// &lt;tasks&gt;/&lt;task-id&gt;/           owned by the Runner (root), mode 0711
///     task.pb                  the StartTask as received (protobuf)
///     stop                     "killed" or "timed-out", written before the Runner signals the scope
///     result.pb                the final TaskExited (without lengths), once determined
///     spool/                   the wrapper's directory, owned by the task's user:
///                              started, stdout, stderr, exit, wrapper.log
/// </code>
/// The Runner's own files sit beside the spool, not in it: the spool belongs to the task's user,
/// who must not be able to forge a stop reason or a result.
/// </summary>
internal sealed class TaskDirectory
{
    public const string SpecFile = "task.pb";
    public const string StopFile = "stop";
    public const string ResultFile = "result.pb";
    public const string SpoolName = "spool";

    // The task's user must pass through to its spool, but not list the Runner's files.
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public TaskDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Spool = new TaskSpool(System.IO.Path.Combine(path, SpoolName));
    }

    public string Path { get; }

    public TaskSpool Spool { get; }

    /// <summary>Creates the directory and records the StartTask in it.</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public static TaskDirectory Create(string tasksRoot, StartTask start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var directory = new TaskDirectory(System.IO.Path.Combine(tasksRoot, start.TaskId));
        try
        {
            Directory.CreateDirectory(directory.Path, Traversable);
            File.SetUnixFileMode(directory.Path, Traversable);
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
        try
        {
            return StartTask.Parser.ParseFrom(File.ReadAllBytes(Combine(SpecFile)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"Cannot read '{Combine(SpecFile)}': {ex.Message}", ex);
        }
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
            return File.Exists(Combine(ResultFile)) ? Contracts.V1.TaskExited.Parser.ParseFrom(File.ReadAllBytes(Combine(ResultFile))) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>When the wrapper wrote its started marker; null while there is none.</summary>
    public DateTimeOffset? ReadStartedAt()
    {
        var marker = new FileInfo(System.IO.Path.Combine(Spool.Directory, SpoolFiles.Started));
        return marker.Exists ? new DateTimeOffset(marker.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }

    /// <summary>Removes the task's directory and spool.</summary>
    /// <remarks>
    /// With GNU rm, not a path-based recursive delete: the spool belongs to the task's user, who
    /// could swap a subdirectory for a symbolic link while a root Runner walks it by path, and so
    /// have root delete files elsewhere. rm walks by directory descriptors and never follows a link.
    /// </remarks>
    /// <exception cref="IOException">rm could not be started or failed; its message is included.</exception>
    public async Task DeleteAsync()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        BufferedCommandResult rm;
        try
        {
            // No cancellation: an rm killed halfway leaves half a task directory for the next
            // start to trip over, and finishing takes moments.
            rm = await Commands.Wrap("rm").WithArguments(["-rf", "--one-file-system", "--", Path]).StartBuffered(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CommandStartException ex)
        {
            throw new IOException($"could not start rm to delete {Path}: {ex.Message}", ex);
        }

        if (!rm.IsSuccess)
        {
            throw new IOException($"rm -rf {Path} failed: {rm.StandardError.Trim()}");
        }
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    // Written whole or not at all: a Runner killed mid-write must not leave a half record.
    private void WriteAtomically(string name, byte[] content)
    {
        var temporary = Combine(name + ".tmp");
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerReadWrite,
        }))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Combine(name), overwrite: true);
    }
}
