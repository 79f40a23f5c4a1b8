using System.Globalization;
using CliWrap.Buffered;
using RiverRun.Systemd.Processes;

namespace RiverRun.Systemd;

/// <summary>
/// Starts a task in a transient scope: prepares its spool directory, then runs systemd-run
/// with the task's environment as its whole environment.
/// </summary>
public sealed class ScopeLauncher
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly UserDatabase _users;
    private readonly string _systemdRun;
    private readonly string _chown;
    // Asked once per launcher, not by every wrapper (a process per task): whether env can reset signals.
    private readonly Lazy<Task<bool>> _envResetsSignals = new(EnvResetsSignalsAsync);

    /// <param name="users">Resolves the task's user for the spool directory's owner.</param>
    /// <param name="systemdRun">The systemd-run to run; tests substitute a fake.</param>
    /// <param name="chown">The chown to run (.NET has no chown API).</param>
    public ScopeLauncher(UserDatabase users, string systemdRun = SystemdRunCommandBuilder.Executable, string chown = "chown")
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentException.ThrowIfNullOrWhiteSpace(systemdRun);
        ArgumentException.ThrowIfNullOrWhiteSpace(chown);
        _users = users;
        _systemdRun = systemdRun;
        _chown = chown;
    }

    /// <param name="request">The task.</param>
    /// <param name="cancellationToken">Cancels the preparation (user lookup, chown); never the task once systemd-run has started.</param>
    /// <exception cref="ArgumentException">The request is invalid (the field is named).</exception>
    /// <exception cref="ScopeLaunchException">Preparation failed or systemd-run could not be started.</exception>
    public async Task<LaunchedScope> LaunchAsync(ScopeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = SystemdRunCommandBuilder.BuildArguments(request, await _envResetsSignals.Value.ConfigureAwait(false));
        var environment = SystemdRunCommandBuilder.BuildEnvironment(request);
        var owner = await ResolveOwnerAsync(request, cancellationToken).ConfigureAwait(false);
        await PrepareSpoolAsync(request.SpoolDirectory, owner, cancellationToken).ConfigureAwait(false);

        var command = Commands.Wrap(_systemdRun)
            .WithArguments(arguments)
            // The root-sensitive variables under carrier names only: systemd-run is root until it
            // execs the wrapper, which restores them for the task.
            .WithExactEnvironment(environment)
            // A task without a working directory starts in "/", never in whatever directory
            // the Runner happens to run in.
            .WithWorkingDirectory("/");
        try
        {
            // Never a cancellation token here: with --scope, systemd-run execs the wrapper, so this
            // process *is* the task, and CliWrap kills a process whose token is cancelled. The
            // task is controlled through its scope; the Runner only ever stops waiting for it.
            var execution = command.StartBuffered(CancellationToken.None);
            return new LaunchedScope(request.UnitName, new TaskSpool(request.SpoolDirectory), execution);
        }
        catch (CommandStartException ex)
        {
            throw new ScopeLaunchException(ex.Message, ex);
        }
    }

    // coreutils 8.31 or later; an env that lacks the option (or is missing) fails, and the wrapper
    // then runs the task without it, as before 8.31 nothing could do better from sh.
    private static async Task<bool> EnvResetsSignalsAsync()
    {
        try
        {
            var probe = await Commands.Wrap("/usr/bin/env").WithArguments(["--default-signal", "true"]).StartBuffered(CancellationToken.None).ConfigureAwait(false);
            return probe.IsSuccess;
        }
        catch (CommandStartException)
        {
            return false;
        }
    }

    private async Task<(int Uid, int Gid)?> ResolveOwnerAsync(ScopeRequest request, CancellationToken cancellationToken)
    {
        if (request.User is null)
        {
            return null;
        }

        var account = await _users.FindUserAsync(request.User, cancellationToken).ConfigureAwait(false)
            ?? throw new ScopeLaunchException($"No such user on this node: '{request.User}'.");
        var gid = account.PrimaryGid;
        if (request.Group is not null)
        {
            gid = await _users.FindGroupIdAsync(request.Group, cancellationToken).ConfigureAwait(false)
                ?? throw new ScopeLaunchException($"No such group on this node: '{request.Group}'.");
        }

        return (account.Uid, gid);
    }

    private async Task PrepareSpoolAsync(string directory, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        // A leftover "started" or "exit" from an earlier attempt would make a systemd-run failure
        // look like a task that ran: the spool must be new.
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new ScopeLaunchException($"Spool directory '{directory}' already exists and is not empty.");
        }

        try
        {
            Directory.CreateDirectory(directory, OwnerOnly);
            File.SetUnixFileMode(directory, OwnerOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScopeLaunchException($"Cannot create spool directory '{directory}': {ex.Message}", ex);
        }

        // A task that runs as the Runner's own user and group (root's, as a rule) finds the
        // directory its own already: no chown process for it.
        if (owner is not { } ids || (ids.Uid == ProcessIdentity.UserId && ids.Gid == ProcessIdentity.GroupId))
        {
            return;
        }

        // The wrapper runs as the task's user and must create files here.
        var ownerText = string.Create(CultureInfo.InvariantCulture, $"{ids.Uid}:{ids.Gid}");
        BufferedCommandResult result;
        try
        {
            result = await Commands.Wrap(_chown).WithArguments(["--", ownerText, directory]).StartBuffered(cancellationToken).ConfigureAwait(false);
        }
        catch (CommandStartException ex)
        {
            throw new ScopeLaunchException(ex.Message, ex);
        }

        if (!result.IsSuccess)
        {
            throw new ScopeLaunchException($"Cannot give spool directory '{directory}' to {ownerText}: {result.StandardError.Trim()}");
        }
    }
}
