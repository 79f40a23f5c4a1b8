namespace RiverRun.Systemd;

/// <summary>
/// Reads one unit's cgroup files directly: usage and OOM kills come from the kernel, not from
/// systemd, whose Result is not reliable for OOM on every version (see docs/architecture.md, "systemd facts this design relies on").
/// Every reader returns null when the file is missing or unreadable: the scope may have just
/// ended and been collected, which is an ordinary race, not an error.
/// </summary>
public sealed class ScopeCgroup
{
    public ScopeCgroup(CgroupLayout layout, string cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentException.ThrowIfNullOrEmpty(cgroupPath);
        Layout = layout;
        Path = cgroupPath;
    }

    public CgroupLayout Layout { get; }

    /// <summary>The cgroup path within each hierarchy, e.g. "/riverrun.slice/riverrun-node1.slice/riverrun-x.scope".</summary>
    public string Path { get; }

    /// <summary>
    /// Finds the unit's cgroup through <c>systemctl show -p ControlGroup --value</c>. Null when
    /// the unit has no cgroup (not loaded, or already gone).
    /// </summary>
    public static async Task<ScopeCgroup?> ForUnitAsync(Systemctl systemctl, CgroupLayout layout, string unit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemctl);
        var properties = await systemctl.ShowAsync(unit, ["ControlGroup"], cancellationToken).ConfigureAwait(false);
        return properties.TryGetValue("ControlGroup", out var path) && path.StartsWith('/')
            ? new ScopeCgroup(layout, path)
            : null;
    }

    /// <summary>CPU time used by all processes of the scope so far.</summary>
    public TimeSpan? ReadCpuUsage()
    {
        if (Layout.Version == CgroupVersion.Unified)
        {
            return ReadFile(Layout.CpuAccountingDirectory(Path), "cpu.stat") is { } stat ? CgroupFileParsers.ReadCpuStatUsage(stat) : null;
        }

        return ReadFile(Layout.CpuAccountingDirectory(Path), "cpuacct.usage") is { } usage ? CgroupFileParsers.ReadCpuAcctUsage(usage) : null;
    }

    /// <summary>Memory currently charged to the scope, in bytes (page cache included, as the limit counts it).</summary>
    public long? ReadMemoryCurrent()
    {
        var file = Layout.Version == CgroupVersion.Unified ? "memory.current" : "memory.usage_in_bytes";
        return ReadFile(Layout.MemoryDirectory(Path), file) is { } text ? CgroupFileParsers.ReadSingleValue(text) : null;
    }

    /// <summary>How many processes of the scope the kernel's OOM killer has killed.</summary>
    public long? ReadOomKills()
    {
        var file = Layout.Version == CgroupVersion.Unified ? "memory.events" : "memory.oom_control";
        return ReadFile(Layout.MemoryDirectory(Path), file) is { } text ? CgroupFileParsers.ReadKeyedValue(text, "oom_kill") : null;
    }

    /// <summary>The ids of the scope's processes; null when the cgroup is gone.</summary>
    public IReadOnlyList<int>? ReadProcessIds() =>
        ReadFile(Layout.ProcessesDirectory(Path), "cgroup.procs") is { } text ? CgroupFileParsers.ReadProcessIds(text) : null;

    /// <summary>
    /// True while any process is left in the scope. On cgroup v1 inside a container this is the
    /// reliable answer: systemd may keep an emptied scope "active" there.
    /// </summary>
    public bool HasProcesses() => ReadProcessIds() is { Count: > 0 };

    private static string? ReadFile(string? directory, string name)
    {
        if (directory is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(System.IO.Path.Combine(directory, name));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
