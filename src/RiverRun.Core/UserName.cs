namespace RiverRun.Core;

/// <summary>
/// The rule for the user a task runs as: a numeric uid (0 to 4294967294) or a POSIX-style
/// name of at most 32 characters, [A-Za-z_][A-Za-z0-9_.-]* with an optional trailing '$'.
/// </summary>
/// <remarks>
/// The value goes to systemd-run's --uid=, which takes either form. The check only keeps out
/// what no system accepts (and what could be read as an option or carry a control character);
/// whether the user exists is for the node to say when it launches the task.
/// 4294967295 is (uid_t)-1, "no user", and never a real uid.
/// </remarks>
public static class UserName
{
    /// <summary>The longest user name allowed (the usual utmp limit).</summary>
    public const int MaxLength = 32;

    private const uint MaxUid = 4294967294;

    /// <summary>Null when <paramref name="user"/> is a valid name or uid, otherwise why not.</summary>
    public static string? Validate(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return "user is empty";
        }

        if (user.All(char.IsAsciiDigit))
        {
            return uint.TryParse(user, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uid) && uid <= MaxUid
                ? null
                : $"uid {user} is out of range (0 to {MaxUid})";
        }

        if (user.Length > MaxLength)
        {
            return $"user name is {user.Length} characters long; at most {MaxLength} are allowed";
        }

        var body = user.EndsWith('$') ? user[..^1] : user;
        var wellFormed = body.Length > 0
            && (char.IsAsciiLetter(body[0]) || body[0] == '_')
            && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
        return wellFormed
            ? null
            : "user must be a uid or a name of letters, digits, '_', '.' and '-' starting with a letter or '_'";
    }
}
