namespace RiverRun.Systemd;

/// <summary>Parses <c>systemctl show</c> output: one KEY=VALUE per line.</summary>
public static class SystemctlShowParser
{
    /// <summary>
    /// Splits each line at its first '=' (values may contain '=' themselves, e.g. ExecStart).
    /// Lines without '=' are skipped; a repeated key keeps its last value.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                properties[line[..equals]] = line[(equals + 1)..];
            }
        }

        return properties;
    }
}
