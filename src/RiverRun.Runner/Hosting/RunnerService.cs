using Microsoft.Extensions.Logging;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>
/// The Runner once its environment has been checked: owns its state directory, recovers the
/// tasks it held, keeps the Host connection, and expires old spools, until stopped.
/// </summary>
internal sealed class RunnerService
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly RunnerProfile _profile;
    private readonly NodeInventory _inventory;
    private readonly SystemdTools _tools;
    private readonly CgroupLayout? _layout;
    private readonly RunnerTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _procRoot;

    public RunnerService(RunnerProfile profile, NodeInventory inventory, SystemdTools tools, CgroupLayout? layout, RunnerTuning tuning, TimeProvider time, ILogger logger, string procRoot = "/")
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _profile = profile;
        _inventory = inventory;
        _tools = tools;
        _layout = layout;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        _procRoot = procRoot;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="InvalidOperationException">The state directory is unusable or another Runner of this name runs.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stateLock = PrepareStateDirectory();
        RunnerLog.Starting(_logger, _profile.Name, _profile.HostUrl, _profile.Cores, _profile.MemoryBytes, _profile.Slice, _profile.StateDirectory);

        var mechanism = new ScopeMechanism(_tools, _layout, _time, _tuning.AdoptedPollInterval, _logger);
        var context = new LaunchContext(
            _profile.Name,
            _profile.Slice,
            _inventory.SystemdVersion >= SystemdVersion.ExpandEnvironmentOptionSince,
            _inventory.NumaNodes);
        var supervisor = new TaskSupervisor(mechanism, context, _tuning, _time, _logger);
        var registry = new TaskRegistry(_profile.TasksDirectory, supervisor, _tuning, _time, _logger);
        await using (registry.ConfigureAwait(false))
        {
            try
            {
                await registry.RecoverAsync(cancellationToken).ConfigureAwait(false);
                var usage = new UsageSampler(_inventory.LogicalCores, _procRoot);
                var connection = new HostConnection(_profile, _inventory, registry, usage, _tuning, _time, _logger);
                var sweep = registry.SweepRetentionAsync(cancellationToken);
                await connection.RunAsync(cancellationToken).ConfigureAwait(false);
                await sweep.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A clean stop.
            }
        }

        RunnerLog.Stopped(_logger);
    }

    // <state>/<name>/ and its tasks/ must be reachable by tasks' users (their spools are inside),
    // but not listable. The lock keeps two Runners of one name from sharing the directory.
    private FileStream PrepareStateDirectory()
    {
        try
        {
            Directory.CreateDirectory(_profile.StateDirectory, Traversable);
            File.SetUnixFileMode(_profile.StateDirectory, Traversable);
            Directory.CreateDirectory(_profile.TasksDirectory, Traversable);
            File.SetUnixFileMode(_profile.TasksDirectory, Traversable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot create the state directory '{_profile.TasksDirectory}': {ex.Message}", ex);
        }

        var lockPath = Path.Combine(_profile.StateDirectory, "runner.lock");
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another Runner named '{_profile.Name}' is already running on this machine (it holds {lockPath}). Give this one another --name.", ex);
        }
    }
}
