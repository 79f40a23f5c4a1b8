namespace RiverRun.Core;

/// <summary>
/// The rule for names of environment variables a user may set on a task:
/// [A-Za-z_][A-Za-z0-9_]*, and not starting with <see cref="ReservedPrefix"/>.
/// </summary>
/// <remarks>
/// Portable shell names only, because the task's wrapper restores the root-sensitive ones with the
/// shell's <c>export</c> (see RootSensitiveEnvironment), and the task's own shell scripts must
/// accept them too. The RIVERRUN_ prefix belongs to the variables the Runner sets
/// (RIVERRUN_TASK_ID, RIVERRUN_NODE, ...), which a task must be able to trust.
/// </remarks>
public static class EnvironmentVariableName
{
    /// <summary>The prefix of the variables RiverRun itself gives a task.</summary>
    public const string ReservedPrefix = "RIVERRUN_";

    /// <summary>Null when <paramref name="name"/> may be set by a user, otherwise why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "environment variable name is empty";
        }

        var wellFormed = (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!wellFormed)
        {
            return $"'{Printable(name)}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)";
        }

        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            return $"'{name}' starts with {ReservedPrefix}, which is reserved for the variables RiverRun sets";
        }

        return null;
    }

    // A NUL or control character in a message would garble terminals and logs.
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
