namespace RiverRun.Systemd;

/// <summary>
/// Looks users and groups up with <c>getent</c>, so every NSS source the node uses (files,
/// LDAP, sssd) is honoured exactly as systemd-run will honour it.
/// </summary>
public sealed class UserDatabase
{
    private readonly string _getent;

    /// <param name="getent">The getent to run; tests substitute a fake.</param>
    public UserDatabase(string getent = "getent")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(getent);
        _getent = getent;
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
