namespace RiverRun.Runner;

/// <summary>
/// This Runner's state directory, &lt;state-dir&gt;/&lt;name&gt;/ with its tasks/ inside: created at
/// start and locked for as long as the Runner runs, so two Runners of one name never share it.
/// </summary>
internal static class RunnerStateDirectory
{
    // Tasks' users must reach their spools inside, but must not list other tasks.
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const string LockFileName = "runner.lock";

    /// <summary>Creates the directories (or fixes their modes) and takes the lock; dispose the result to release it.</summary>
    /// <exception cref="InvalidOperationException">The directory cannot be created, or another Runner of this name holds it.</exception>
    public static IDisposable Claim(RunnerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        try
        {
            Directory.CreateDirectory(profile.StateDirectory, Traversable);
            File.SetUnixFileMode(profile.StateDirectory, Traversable);
            Directory.CreateDirectory(profile.TasksDirectory, Traversable);
            File.SetUnixFileMode(profile.TasksDirectory, Traversable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot create the state directory '{profile.TasksDirectory}': {ex.Message}", ex);
        }

        var lockPath = Path.Combine(profile.StateDirectory, LockFileName);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another Runner named '{profile.Name}' is already running on this machine (it holds {lockPath}). Give this one another --name.", ex);
        }
    }
}
