using System.Globalization;
using CliWrap.Buffered;

namespace RiverRun.Systemd;

/// <summary>
/// The few systemctl operations the executor needs, each one process call. Unit names are passed
/// as single argv elements, never through a shell.
/// </summary>
public sealed class Systemctl
{
    private static readonly HashSet<string> StatesWithProcesses = new(StringComparer.Ordinal)
    {
        // "deactivating" matters: a scope being stopped still has processes to wait for.
        "active", "reloading", "activating", "deactivating", "refreshing",
    };

    private readonly string _executable;

    /// <param name="executable">The systemctl to run; tests substitute a fake.</param>
    public Systemctl(string executable = "systemctl")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        _executable = executable;
    }

    /// <summary>
    /// The unit's ActiveState as printed by <c>systemctl is-active</c> ("active", "inactive",
    /// "failed", "deactivating", …). Its non-zero exit for inactive units is not an error here.
    /// </summary>
    public async Task<string> GetActiveStateAsync(string unit, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["is-active", "--", ScopeUnit(unit)], cancellationToken).ConfigureAwait(false);
        var state = result.StandardOutput.Trim();
        if (state.Length == 0)
        {
            throw new SystemctlException($"{_executable} is-active {unit}", result.ExitCode, result.StandardError);
        }

        return state;
    }

    /// <summary>
    /// True while the unit is in a state that can still have processes (active, activating,
    /// deactivating, reloading). Caution: on cgroup v1 inside a container systemd may not learn
    /// that a scope's cgroup became empty, so the scope can stay "active" without processes;
    /// <see cref="ScopeCgroup.HasProcesses"/> answers that question directly.
    /// </summary>
    public async Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken = default) =>
        CanHaveProcesses(await GetActiveStateAsync(unit, cancellationToken).ConfigureAwait(false));

    /// <summary>True for the ActiveStates in which a unit may still have processes.</summary>
    public static bool CanHaveProcesses(string activeState) => StatesWithProcesses.Contains(activeState);

    /// <summary>Sends <paramref name="signal"/> (e.g. "SIGTERM") to the unit's processes.</summary>
    public Task KillAsync(string unit, string signal, KillWhom whom = KillWhom.All, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        var whomText = whom == KillWhom.All ? "all" : "main";
        return RunCheckedAsync(["kill", $"--kill-whom={whomText}", $"--signal={signal}", "--", ScopeUnit(unit)], cancellationToken);
    }

    /// <summary>Stops the unit and waits for the stop job to finish.</summary>
    public Task StopAsync(string unit, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["stop", "--", ScopeUnit(unit)], cancellationToken);

    /// <summary>
    /// Stops several units with one systemctl process and waits for their stop jobs. Throws
    /// <see cref="SystemctlException"/> when any of them failed (e.g. one was already unloaded);
    /// the others are stopped all the same.
    /// </summary>
    public Task StopManyAsync(IReadOnlyCollection<string> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentOutOfRangeException.ThrowIfZero(units.Count);
        return RunCheckedAsync(["stop", "--", .. units.Select(ScopeUnit)], cancellationToken);
    }

    /// <summary>Freezes all of the unit's processes (cgroup v2 only; fails on v1).</summary>
    public Task FreezeAsync(string unit, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["freeze", "--", ScopeUnit(unit)], cancellationToken);

    /// <summary>Thaws a frozen unit (cgroup v2 only; fails on v1).</summary>
    public Task ThawAsync(string unit, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["thaw", "--", ScopeUnit(unit)], cancellationToken);

    /// <summary>Reads unit properties; a property systemd does not know is simply absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ShowAsync(string unit, IEnumerable<string> properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var args = new List<string> { "show" };
        foreach (var property in properties)
        {
            args.Add($"--property={property}");
        }

        args.AddRange(["--", ScopeUnit(unit)]);
        var result = await RunCheckedAsync(args, cancellationToken).ConfigureAwait(false);
        return SystemctlShowParser.Parse(result.StandardOutput);
    }

    /// <summary>
    /// Scope units (loaded, in any state) whose name matches <paramref name="pattern"/>, e.g.
    /// "riverrun-*": how a restarted Runner finds the tasks it was running.
    /// </summary>
    public async Task<IReadOnlyList<UnitListEntry>> ListUnitsAsync(string pattern, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var result = await RunCheckedAsync(
            ["list-units", "--type=scope", "--all", "--plain", "--no-legend", "--no-pager", "--", pattern],
            cancellationToken).ConfigureAwait(false);
        return UnitListParser.Parse(result.StandardOutput);
    }

    /// <summary>
    /// "riverrun-x" → "riverrun-x.scope": systemctl would otherwise assume ".service" for a name
    /// without a suffix.
    /// </summary>
    internal static string ScopeUnit(string unit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        return unit.Contains('.', StringComparison.Ordinal) ? unit : unit + ".scope";
    }

    private async Task<BufferedCommandResult> RunCheckedAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new SystemctlException(
                string.Create(CultureInfo.InvariantCulture, $"{_executable} {string.Join(' ', args)}"),
                result.ExitCode,
                result.StandardError);
        }

        return result;
    }

    // Cancelling kills systemctl: a query nobody waits for any more must not linger.
    private Task<BufferedCommandResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        Commands.Wrap(_executable).WithArguments(args).StartBuffered(cancellationToken).Task;
}
