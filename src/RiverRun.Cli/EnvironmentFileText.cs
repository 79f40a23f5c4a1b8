namespace RiverRun.Cli;

/// <summary>
/// Edits the text of a systemd EnvironmentFile (KEY=VALUE lines): sets one variable, keeping
/// every other line (comments included) as it was. Pure, so it is tested line by line.
/// </summary>
public static class EnvironmentFileText
{
    /// <summary>
    /// <paramref name="text"/> with <paramref name="name"/>=<paramref name="value"/>: replaces the
    /// variable's line (every one, if repeated, keeping the first place) or appends it.
    /// </summary>
    public static string WithVariable(string text, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var lines = text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').ToList();
        var line = $"{name}={value}";
        var placed = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith(name + "=", StringComparison.Ordinal) || trimmed.StartsWith("export " + name + "=", StringComparison.Ordinal))
            {
                if (placed)
                {
                    lines.RemoveAt(i--);
                }
                else
                {
                    lines[i] = line;
                    placed = true;
                }
            }
        }

        if (!placed)
        {
            lines.Add(line);
        }

        return string.Join('\n', lines) + "\n";
    }
}
