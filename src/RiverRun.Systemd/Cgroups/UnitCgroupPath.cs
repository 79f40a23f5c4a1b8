namespace RiverRun.Systemd;

/// <summary>
/// Where systemd puts a unit's cgroup, worked out from its slice's name alone: systemd nests a
/// slice under the slice named by its prefix up to each '-' ("a-b-c.slice" lives in
/// "a-b.slice", which lives in "a.slice"), and a scope's cgroup is its name inside its slice's.
/// Pure, so the Runner can read a scope's files without first asking systemctl where they are
/// (each systemctl call is a process, which the end of every task would otherwise pay for).
/// </summary>
public static class UnitCgroupPath
{
    private const string SliceSuffix = ".slice";

    /// <summary>The cgroup path of <paramref name="slice"/>, e.g. "/riverrun.slice/riverrun-node1.slice".</summary>
    /// <exception cref="ArgumentException">Not a slice name, or one systemd would not accept.</exception>
    public static string OfSlice(string slice)
    {
        ArgumentException.ThrowIfNullOrEmpty(slice);
        if (!slice.EndsWith(SliceSuffix, StringComparison.Ordinal) || slice.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{slice}' is not a slice name (NAME.slice, no '/').", nameof(slice));
        }

        var name = slice[..^SliceSuffix.Length];
        if (name == "-")
        {
            // The root slice: its cgroup is the hierarchy's root.
            return "/";
        }

        if (name.Length == 0 || name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{slice}' is not a valid slice name: a '-' may not start or end it or follow another.", nameof(slice));
        }

        var path = new System.Text.StringBuilder();
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        while (dash >= 0)
        {
            path.Append('/').Append(name, 0, dash).Append(SliceSuffix);
            dash = name.IndexOf('-', dash + 1);
        }

        return path.Append('/').Append(name).Append(SliceSuffix).ToString();
    }

    /// <summary>The cgroup path of <paramref name="unit"/> (e.g. "riverrun-x.scope") inside <paramref name="slice"/>.</summary>
    /// <exception cref="ArgumentException">The slice name is not valid, or the unit name has a '/'.</exception>
    public static string OfUnitInSlice(string unit, string slice)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        if (unit.Contains('/', StringComparison.Ordinal) || unit is "." or "..")
        {
            throw new ArgumentException($"'{unit}' is not a unit name.", nameof(unit));
        }

        var parent = OfSlice(slice);
        return parent == "/" ? "/" + unit : parent + "/" + unit;
    }
}
