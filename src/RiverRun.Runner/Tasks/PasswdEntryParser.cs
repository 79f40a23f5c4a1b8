namespace RiverRun.Runner.Tasks;

/// <summary>Parses a <c>getent passwd</c> line, including the shell (the task's SHELL).</summary>
internal static class PasswdEntryParser
{
    /// <summary>"name:x:uid:gid:gecos:home:shell" → (name, home, shell); null when malformed.</summary>
    public static (string Name, string Home, string Shell)? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.TrimEnd('\n', '\r').Split(':');
        if (fields.Length < 7 || fields[0].Length == 0)
        {
            return null;
        }

        var home = fields[5].Length == 0 ? "/" : fields[5];
        var shell = fields[6].Length == 0 ? "/bin/sh" : fields[6];
        return (fields[0], home, shell);
    }
}
