using Microsoft.Extensions.Logging;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// The driver side of the executor: every systemd operation the task policy uses, expressed in
/// its terms and carried out by RiverRun.Systemd. Always the whole scope, never a pid.
/// </summary>
internal sealed class ScopeMechanism : IDisposable
{
    private readonly SystemdTools _tools;
    private readonly Systemctl _systemctl;
    private readonly ScopeLiveness _liveness;
    private readonly ScopeSignals _signals;
    private readonly ScopeLauncher _launcher;
    private readonly UserDatabase _users;
    private readonly AdoptedScopeWatcher _adoptedWatcher;
    private readonly Lazy<SpoolWatcher> _spoolWatcher = new(() => new SpoolWatcher());
    private readonly Lazy<EmptiedScopeStopper> _emptiedStopper;
    private readonly CgroupLayout? _layout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Accounts are looked up once a minute, not twice per task (a getent process each), and are
    // still current soon after a change (UserDatabase says what is and is not remembered).
    private static readonly TimeSpan AccountLifetime = TimeSpan.FromMinutes(1);

    /// <param name="tools">The programs to run.</param>
    /// <param name="layout">Where cgroups are mounted; null where they cannot be read (tests).</param>
    /// <param name="time">Drives grace periods and the liveness checks of re-adopted scopes.</param>
    /// <param name="adoptedLivenessInterval">How often a re-adopted scope is checked for an end without an exit record.</param>
    /// <param name="logger">For failures that are worked around.</param>
    public ScopeMechanism(SystemdTools tools, CgroupLayout? layout, TimeProvider time, TimeSpan adoptedLivenessInterval, ILogger<ScopeMechanism> logger)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _tools = tools;
        _layout = layout;
        _time = time;
        _logger = logger;
        _systemctl = new Systemctl(tools.Systemctl);
        _liveness = new ScopeLiveness(_systemctl, layout);
        _signals = new ScopeSignals(_systemctl, _liveness, time);
        _users = new UserDatabase(tools.Getent, time, AccountLifetime);
        _launcher = new ScopeLauncher(_users, tools.SystemdRun, tools.Chown);
        _adoptedWatcher = new AdoptedScopeWatcher(time, adoptedLivenessInterval);
        _emptiedStopper = new(() => new EmptiedScopeStopper(_systemctl, time, logger));
    }

    /// <summary>True on cgroup v2, where pause is a freeze rather than SIGSTOP.</summary>
    public bool IsUnifiedCgroup => _layout?.Version == CgroupVersion.Unified;

    /// <exception cref="ScopeLaunchException">Preparation failed or systemd-run could not be started.</exception>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public Task<LaunchedScope> LaunchAsync(ScopeRequest request, CancellationToken cancellationToken) =>
        _launcher.LaunchAsync(request, cancellationToken);

    /// <summary>
    /// Calls <paramref name="changed"/> whenever the spool may have changed, until disposed; read
    /// the spool once after this returns, as earlier changes are not reported.
    /// </summary>
    /// <exception cref="IOException">The spool cannot be watched (e.g. fs.inotify.max_user_watches reached).</exception>
    public IDisposable WatchSpool(TaskSpool spool, Action changed)
    {
        ArgumentNullException.ThrowIfNull(spool);
        return _spoolWatcher.Value.Watch(spool.Directory, changed);
    }

    /// <summary>Waits for the end of a scope started before this Runner (re)started.</summary>
    /// <param name="spool">The task's spool.</param>
    /// <param name="unit">The scope, without ".scope".</param>
    /// <param name="nextChange">Completes at the next change of the spool (see <see cref="WatchSpool"/>).</param>
    /// <param name="cancellationToken">Stops the waiting, not the task.</param>
    public Task<ScopeOutcome> WaitForAdoptedAsync(TaskSpool spool, string unit, Func<Task> nextChange, CancellationToken cancellationToken)
    {
        // systemctl once, to find the scope's cgroup; from then on its process list is read
        // directly, without starting a process per check.
        ScopeCgroup? cgroup = null;
        async Task<bool> IsAliveAsync(CancellationToken ct)
        {
            if (_layout is not null && cgroup is null)
            {
                try
                {
                    cgroup = await ScopeCgroup.ForUnitAsync(_systemctl, _layout, unit, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SystemctlException or CommandStartException or ArgumentException)
                {
                    cgroup = null;
                }
            }

            return cgroup?.ReadProcessIds() is { } pids
                ? pids.Count > 0
                // No cgroup to read (gone, or none known): systemd's word.
                : await _liveness.IsAliveAsync(unit, ct).ConfigureAwait(false);
        }

        return _adoptedWatcher.WaitForOutcomeAsync(spool, nextChange, IsAliveAsync, cancellationToken);
    }

    public Task<bool> IsAliveAsync(string unit, CancellationToken cancellationToken) =>
        _liveness.IsAliveAsync(unit, cancellationToken);

    /// <summary>SIGTERM to every process of the scope, SIGKILL after <paramref name="grace"/>, then stop.</summary>
    /// <exception cref="SystemctlException">systemctl failed while the scope still had processes.</exception>
    public Task<ScopeKillResult> KillAsync(string unit, TimeSpan grace, CancellationToken cancellationToken) =>
        _signals.KillScopeAsync(unit, grace, cancellationToken);

    /// <summary>Freezes the scope (cgroup v2) or stops all its processes with SIGSTOP (v1).</summary>
    /// <exception cref="SystemctlException">systemctl failed.</exception>
    public Task PauseAsync(string unit, CancellationToken cancellationToken) =>
        IsUnifiedCgroup ? _systemctl.FreezeAsync(unit, cancellationToken) : _systemctl.KillAsync(unit, "SIGSTOP", KillWhom.All, cancellationToken);

    /// <summary>Thaws the scope (cgroup v2) or continues all its processes with SIGCONT (v1).</summary>
    /// <exception cref="SystemctlException">systemctl failed.</exception>
    public Task ResumeAsync(string unit, CancellationToken cancellationToken) =>
        IsUnifiedCgroup ? _systemctl.ThawAsync(unit, cancellationToken) : _systemctl.KillAsync(unit, "SIGCONT", KillWhom.All, cancellationToken);

    /// <summary>The scope's OOM-kill count from its memory cgroup; null when it cannot be read.</summary>
    public async Task<long?> ReadOomKillsAsync(string unit, CancellationToken cancellationToken)
    {
        if (_layout is null)
        {
            return null;
        }

        try
        {
            var cgroup = await ScopeCgroup.ForUnitAsync(_systemctl, _layout, unit, cancellationToken).ConfigureAwait(false);
            return cgroup?.ReadOomKills();
        }
        catch (Exception ex) when (ex is SystemctlException or CommandStartException or ArgumentException)
        {
            RunnerLog.OomCountUnreadable(_logger, unit, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The scope's cgroup, worked out from its slice without asking systemctl; null where
    /// cgroups cannot be read (tests) or the slice's cgroup is not where systemd would put it
    /// (then only systemctl knows).
    /// </summary>
    /// <param name="unit">The scope, without ".scope".</param>
    /// <param name="slice">The slice the scope was started in.</param>
    public ScopeCgroup? PredictCgroup(string unit, string slice)
    {
        if (_layout is null)
        {
            return null;
        }

        try
        {
            return Directory.Exists(_layout.ProcessesDirectory(UnitCgroupPath.OfSlice(slice)))
                ? new ScopeCgroup(_layout, UnitCgroupPath.OfUnitInSlice(unit + ".scope", slice))
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops a scope known to have no process left, in the background and batched with others
    /// (see <see cref="EmptiedScopeStopper"/>), where systemd would not collect it; returns at once.
    /// </summary>
    public void StopEmptied(string unit)
    {
        // On cgroup v2 systemd learns from cgroup.events that a scope emptied and collects it
        // itself; a stop would only find the unit gone. Only v1 (in a container) leaves it active.
        if (!IsUnifiedCgroup)
        {
            _emptiedStopper.Value.Stop(unit);
        }
    }

    /// <summary>
    /// The user a task runs as; null for an unknown user. An empty name means the Runner's own
    /// user (the task then runs as root, with root's HOME and SHELL).
    /// </summary>
    public async Task<TaskAccount?> FindAccountAsync(string? user, CancellationToken cancellationToken)
    {
        var key = string.IsNullOrEmpty(user) ? Environment.UserName : user!;
        UserAccount? account;
        try
        {
            // The same lookup the launcher makes to own the spool: one parser, one getent, one answer remembered.
            account = await _users.FindUserAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandStartException or InvalidOperationException)
        {
            throw new TaskRejectedException($"Cannot look up user '{key}': {ex.Message}", ex);
        }

        if (account is null)
        {
            return null;
        }

        // An empty home or shell field in passwd means "/" and /bin/sh, as login(1) reads them.
        var home = account.Home.Length == 0 ? "/" : account.Home;
        var shell = account.Shell.Length == 0 ? "/bin/sh" : account.Shell;
        return new TaskAccount(account.Name, home, shell, Directory.Exists(home));
    }

    public void Dispose()
    {
        if (_spoolWatcher.IsValueCreated)
        {
            _spoolWatcher.Value.Dispose();
        }

        if (_emptiedStopper.IsValueCreated)
        {
            _emptiedStopper.Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

}
