namespace RiverRun.Systemd;

/// <summary>
/// Where a cgroup's files live. Detected once from the file system; the root is injectable so
/// the readers can be tested against a directory of sample files.
/// </summary>
public sealed class CgroupLayout
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    // A v1 machine may mount cpuacct alone or together with cpu; try the joint mount first.
    private static readonly string[] CpuAccountingMounts = ["cpu,cpuacct", "cpuacct,cpu", "cpuacct"];

    public CgroupLayout(CgroupVersion version, string root = DefaultRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Version = version;
        Root = root;
    }

    public CgroupVersion Version { get; }

    public string Root { get; }

    /// <summary>
    /// Unified when the root itself is a cgroup2 mount (it then has cgroup.controllers);
    /// anything else is v1 ("legacy" or "hybrid", which behave alike for our purposes because
    /// systemd binds all controllers to v1 there).
    /// </summary>
    public static CgroupLayout Detect(string root = DefaultRoot) =>
        new(File.Exists(Path.Combine(root, "cgroup.controllers")) ? CgroupVersion.Unified : CgroupVersion.Legacy, root);

    /// <summary>The directory of the memory controller for a cgroup path such as "/system.slice/x.scope".</summary>
    public string MemoryDirectory(string cgroupPath) =>
        Version == CgroupVersion.Unified ? Under(Root, cgroupPath) : Under(Path.Combine(Root, "memory"), cgroupPath);

    /// <summary>The directory holding the CPU usage counter, or null when no v1 cpuacct mount exists.</summary>
    public string? CpuAccountingDirectory(string cgroupPath)
    {
        if (Version == CgroupVersion.Unified)
        {
            return Under(Root, cgroupPath);
        }

        foreach (var mount in CpuAccountingMounts)
        {
            var directory = Path.Combine(Root, mount);
            if (Directory.Exists(directory))
            {
                return Under(directory, cgroupPath);
            }
        }

        return null;
    }

    /// <summary>
    /// The directory whose cgroup.procs lists every process of the unit: the v2 cgroup, or on
    /// v1 systemd's own named hierarchy, which systemd keeps for every unit.
    /// </summary>
    public string ProcessesDirectory(string cgroupPath) =>
        Version == CgroupVersion.Unified ? Under(Root, cgroupPath) : Under(Path.Combine(Root, "systemd"), cgroupPath);

    private static string Under(string mount, string cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupPath);
        if (!cgroupPath.StartsWith('/') || cgroupPath.Split('/').Contains(".."))
        {
            // A ControlGroup value is always absolute within its hierarchy; ".." would escape it.
            throw new ArgumentException($"'{cgroupPath}' is not an absolute cgroup path.", nameof(cgroupPath));
        }

        return mount + cgroupPath.TrimEnd('/');
    }
}
