namespace RiverRun.Systemd;

/// <summary>What the kernel's environment block can carry as a variable name.</summary>
internal static class EnvironmentNames
{
    public static void Validate(string name, string parameterName)
    {
        // "NAME=VALUE" strings: a name with '=' would silently change meaning, NUL would truncate.
        if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid environment variable name (empty, or contains '=' or NUL).", parameterName);
        }
    }
}
