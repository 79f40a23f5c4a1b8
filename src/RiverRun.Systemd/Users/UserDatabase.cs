using System.Collections.Concurrent;

namespace RiverRun.Systemd;

/// <summary>
/// Looks users and groups up with <c>getent</c>, so every NSS source the node uses (files,
/// LDAP, sssd) is honoured exactly as systemd-run will honour it. An entry found is remembered
/// for <c>rememberFor</c>: a launch looks its user up twice (the account for the environment,
/// the owner for the spool), and 200 queued tasks would otherwise start 400 getent processes.
/// What is not found is never remembered, so a user created a moment ago works at once; one
/// deleted is still resolved for up to that long, and systemd-run then refuses the task itself.
/// </summary>
public sealed class UserDatabase
{
    // Distinct users and groups on a node are few; a flood of them only costs a fresh start.
    private const int MaxRemembered = 1024;

    private readonly string _getent;
    private readonly TimeProvider _time;
    private readonly TimeSpan _rememberFor;
    private readonly ConcurrentDictionary<(string Database, string Key), (string Line, DateTimeOffset At)> _found = new();

    /// <param name="getent">The getent to run; tests substitute a fake.</param>
    public UserDatabase(string getent = "getent")
        : this(getent, TimeProvider.System, TimeSpan.Zero)
    {
    }

    /// <param name="getent">The getent to run; tests substitute a fake.</param>
    /// <param name="time">The clock entries age by.</param>
    /// <param name="rememberFor">How long an entry found is used without asking again; zero for never.</param>
    public UserDatabase(string getent, TimeProvider time, TimeSpan rememberFor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(getent);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(rememberFor, TimeSpan.Zero);
        _getent = getent;
        _time = time;
        _rememberFor = rememberFor;
    }

    /// <summary>Resolves a user name or uid; null when the database has no such user.</summary>
    public async Task<UserAccount?> FindUserAsync(string nameOrUid, CancellationToken cancellationToken = default)
    {
        var line = await LookUpAsync("passwd", nameOrUid, cancellationToken).ConfigureAwait(false);
        return line is null ? null : UserDatabaseParsers.ParsePasswd(line);
    }

    /// <summary>Resolves a group name or gid; null when the database has no such group.</summary>
    public async Task<int?> FindGroupIdAsync(string nameOrGid, CancellationToken cancellationToken = default)
    {
        var line = await LookUpAsync("group", nameOrGid, cancellationToken).ConfigureAwait(false);
        return line is null ? null : UserDatabaseParsers.ParseGroupId(line);
    }

    private async Task<string?> LookUpAsync(string database, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var now = _time.GetUtcNow();
        if (_found.TryGetValue((database, key), out var known) && now - known.At < _rememberFor)
        {
            return known.Line;
        }

        var line = await AskGetentAsync(database, key, cancellationToken).ConfigureAwait(false);
        if (line is not null && _rememberFor > TimeSpan.Zero)
        {
            if (_found.Count >= MaxRemembered)
            {
                _found.Clear();
            }

            _found[(database, key)] = (line, now);
        }

        return line;
    }

    private async Task<string?> AskGetentAsync(string database, string key, CancellationToken cancellationToken)
    {
        var result = await Commands.Wrap(_getent).WithArguments([database, "--", key]).StartBuffered(cancellationToken).ConfigureAwait(false);

        // getent exits 2 for "not found"; any other failure is a real problem worth its message.
        if (result.ExitCode == 2)
        {
            return null;
        }

        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"'{_getent} {database} {key}' exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput.Split('\n', 2)[0];
    }
}
