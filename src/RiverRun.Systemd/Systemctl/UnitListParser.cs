namespace RiverRun.Systemd;

/// <summary>Parses <c>systemctl list-units --plain --no-legend</c> output.</summary>
public static class UnitListParser
{
    // systemctl marks failed or not-found units with a leading glyph even with --plain:
    // "●" on a UTF-8 terminal, "*" otherwise. It is not part of the unit name.
    private static readonly string[] StatusGlyphs = ["●", "*", "○"];

    public static IReadOnlyList<UnitListEntry> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var entries = new List<UnitListEntry>();
        foreach (var rawLine in output.Split('\n'))
        {
            var fields = rawLine.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var start = fields.Length > 0 && StatusGlyphs.Contains(fields[0]) ? 1 : 0;
            // A row starts with a full unit name ("x.scope"); anything else is the continuation
            // of a description that contained a newline, not a unit.
            if (fields.Length - start < 4 || !fields[start].Contains('.', StringComparison.Ordinal))
            {
                continue;
            }

            entries.Add(new UnitListEntry(
                fields[start],
                fields[start + 1],
                fields[start + 2],
                fields[start + 3],
                string.Join(' ', fields.Skip(start + 4))));
        }

        return entries;
    }
}
