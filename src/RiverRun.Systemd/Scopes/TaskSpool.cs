namespace RiverRun.Systemd;

/// <summary>
/// Reads what the wrapper left in a task's spool directory. The directory belongs to the task's
/// user, so its contents are untrusted: the exit record is read only from a regular file, never
/// through a symbolic link, and only its first few kilobytes.
/// </summary>
public sealed class TaskSpool
{
    private const int MaxExitRecordBytes = 4096;

    public TaskSpool(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    public string Directory { get; }

    public string StandardOutputPath => Path.Combine(Directory, SpoolFiles.StandardOutput);

    public string StandardErrorPath => Path.Combine(Directory, SpoolFiles.StandardError);

    /// <summary>True once the wrapper has run inside the scope (systemd-run got past its own checks).</summary>
    public bool HasStarted => File.Exists(Path.Combine(Directory, SpoolFiles.Started));

    /// <summary>The exit record, or null while there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a well-formed record in a regular file.</exception>
    public WrapperExitRecord? TryReadExitRecord()
    {
        var info = new FileInfo(Path.Combine(Directory, SpoolFiles.Exit));
        if (!info.Exists)
        {
            return null;
        }

        // A symlink planted by the task's user could point a root Runner at any file: refuse it.
        if (info.LinkTarget is not null)
        {
            throw new InvalidDataException($"'{info.FullName}' is a symbolic link, not the wrapper's exit record.");
        }

        using var stream = OpenWithoutBlocking(info.FullName);

        // Only the wrapper's rename produces a regular file; a FIFO or device is not seekable.
        if (!stream.CanSeek)
        {
            throw new InvalidDataException($"'{info.FullName}' is not a regular file.");
        }

        var buffer = new byte[MaxExitRecordBytes];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        try
        {
            return WrapperExitRecord.Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, length));
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"'{info.FullName}' is not a valid exit record: {ex.Message}", ex);
        }
    }

    // Opening a FIFO read-only blocks until a writer appears, so a FIFO planted as "exit" would
    // hang the reader forever. Opened read-write, a FIFO opens at once on Linux (and is then
    // refused as unseekable); nothing is ever written. Read-write needs permission, which a
    // root Runner has; a Runner without it runs tasks as itself, so there is no one to defend
    // against and read-only is fine.
    private static FileStream OpenWithoutBlocking(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
    }

    /// <summary>
    /// The outcome once the scope's wrapper has ended. <paramref name="wrapperExitCode"/> and
    /// <paramref name="systemdRunError"/> come from the systemd-run process when the Runner is
    /// its parent; both are null for a re-adopted scope.
    /// </summary>
    public ScopeOutcome ClassifyEnded(int? wrapperExitCode, string? systemdRunError)
    {
        WrapperExitRecord? record;
        try
        {
            record = TryReadExitRecord();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new EndedWithoutRecord(ex.Message, wrapperExitCode);
        }

        if (record is { Error: { } error })
        {
            return new LaunchFailed(error);
        }

        if (record is not null)
        {
            return new TaskExited(record);
        }

        if (!HasStarted)
        {
            var message = systemdRunError?.Trim();
            return new LaunchFailed(string.IsNullOrEmpty(message)
                ? $"systemd-run exited with {wrapperExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown status"} before the task started"
                : message);
        }

        return new EndedWithoutRecord("the wrapper ended without recording the task's status (killed by a signal?)", wrapperExitCode);
    }
}
