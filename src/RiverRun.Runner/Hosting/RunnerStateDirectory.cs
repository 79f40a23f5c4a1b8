using RiverRun.Runner.Tasks;

namespace RiverRun.Runner;

/// <summary>
/// This Runner's state directory, &lt;state-dir&gt;/&lt;name&gt;/ with tasks/ and spool/ inside:
/// created (or its modes fixed) at start as <see cref="RunnerFileModes"/> plans, and locked for as
/// long as the Runner runs, so two Runners of one name never share it.
/// </summary>
internal static class RunnerStateDirectory
{
    private const string LockFileName = "runner.lock";

    /// <summary>Creates the directories (or fixes their modes) and takes the lock; dispose the result to release it.</summary>
    /// <exception cref="InvalidOperationException">The directory cannot be created, or another Runner of this name holds it.</exception>
    public static IDisposable Claim(RunnerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var current = profile.StateDirectory;
        try
        {
            // The parent (e.g. /var/lib/riverrun-runner) must let tasks' users pass through too;
            // one that exists already is the operator's and is left as it is.
            var parent = Path.GetDirectoryName(profile.StateDirectory);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
            {
                current = parent;
                Directory.CreateDirectory(parent, RunnerFileModes.Traversable);
                File.SetUnixFileMode(parent, RunnerFileModes.Traversable);
            }

            foreach (var (path, mode) in RunnerFileModes.StateDirectories(profile.StateDirectory, HasLegacySpools(profile.TasksDirectory)))
            {
                current = path;
                Directory.CreateDirectory(path, mode);
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot create the state directory '{current}': {ex.Message}", ex);
        }

        var lockPath = Path.Combine(profile.StateDirectory, LockFileName);
        try
        {
            var held = new FileStream(lockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = RunnerFileModes.PrivateFile,
            });
            // One an older Runner created with the umask's mode is tightened too.
            File.SetUnixFileMode(held.SafeFileHandle, RunnerFileModes.PrivateFile);
            return held;
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another Runner named '{profile.Name}' is already running on this machine (it holds {lockPath}). Give this one another --name.", ex);
        }
    }

    // Tasks launched by a Runner before the spools moved out of tasks/ (see RunnerFileModes).
    private static bool HasLegacySpools(string tasksDirectory) =>
        Directory.Exists(tasksDirectory)
        && Directory.EnumerateDirectories(tasksDirectory).Any(task => Directory.Exists(Path.Combine(task, TaskDirectory.LegacySpoolName)));
}
