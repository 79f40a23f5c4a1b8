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
        // Opened without following a link and without blocking on a FIFO: the task's user owns
        // the spool and could plant either to mislead a root Runner (UntrustedFile refuses both).
        var path = Path.Combine(Directory, SpoolFiles.Exit);
        using var stream = UntrustedFile.OpenRegularFile(path);
        if (stream is null)
        {
            return null;
        }

        var buffer = new byte[MaxExitRecordBytes];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        try
        {
            return WrapperExitRecord.Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, length));
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"'{path}' is not a valid exit record: {ex.Message}", ex);
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
