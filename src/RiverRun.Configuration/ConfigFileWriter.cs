using System.Text;

namespace RiverRun.Configuration;

/// <summary>
/// The text of a commented configuration file with every setting of a table: a comment saying
/// what it is, its flag and variable, and the setting at its default as a commented-out line the
/// user uncomments to change. Settings whose default depends on the machine (the hostname, all
/// cores) say so and show an example instead. Pure: <c>riverrun init config</c> writes the result.
/// </summary>
public static class ConfigFileWriter
{
    /// <param name="table">The service's settings.</param>
    /// <param name="defaults">Options holding the defaults to show.</param>
    /// <param name="header">Lines said at the top (without "# "): what the file is, how it layers.</param>
    /// <param name="unsetOverrides">Per key, what unset means here when it differs from the table's (an instance's name).</param>
    public static string Write<T>(SettingTable<T> table, T defaults, IEnumerable<string> header, IReadOnlyDictionary<string, string>? unsetOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(header);
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        foreach (var setting in table)
        {
            text.Append('\n');
            text.Append("# ").Append(setting.Description).Append(" (").Append(setting.Flag).Append(", ").Append(setting.EnvironmentVariable).Append(")\n");
            if (setting.Format(defaults) is { } value)
            {
                text.Append('#').Append(setting.Key).Append(" = ").Append(setting.ToTomlLiteral(value)).Append('\n');
            }
            else
            {
                var unset = unsetOverrides?.GetValueOrDefault(setting.Key) ?? setting.UnsetMeans ?? "none";
                text.Append("# Default: ").Append(unset).Append(". For example:\n");
                text.Append('#').Append(setting.Key).Append(" = ").Append(setting.ToTomlLiteral(setting.Example ?? string.Empty)).Append('\n');
            }
        }

        return text.ToString();
    }
}
