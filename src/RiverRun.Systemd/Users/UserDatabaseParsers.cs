using System.Globalization;

namespace RiverRun.Systemd;

/// <summary>Pure parsers for <c>getent passwd</c> and <c>getent group</c> lines.</summary>
public static class UserDatabaseParsers
{
    /// <summary>"name:x:uid:gid:gecos:home:shell" → account; null when malformed.</summary>
    public static UserAccount? ParsePasswd(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split(':');
        if (fields.Length < 7 || fields[0].Length == 0
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return null;
        }

        return new UserAccount(fields[0], uid, gid, fields[5], fields[6]);
    }

    /// <summary>"name:x:gid:members" → gid; null when malformed.</summary>
    public static int? ParseGroupId(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split(':');
        return fields.Length >= 3 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : null;
    }
}
