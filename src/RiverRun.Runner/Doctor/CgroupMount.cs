namespace RiverRun.Runner.Doctor;

/// <summary>One cgroup file system mount, as /proc/self/mountinfo lists it.</summary>
/// <param name="MountPoint">Where it is mounted, e.g. /sys/fs/cgroup/memory.</param>
/// <param name="Version2">True for cgroup2, false for a v1 hierarchy.</param>
/// <param name="Controllers">The v1 controllers bound to it (from its super options); empty for cgroup2 and for systemd's named hierarchy.</param>
/// <param name="ReadOnly">Mounted read-only: systemd can then create the scope but not write its limits.</param>
/// <param name="FavorsDynamicModifications">
/// Its hierarchy has the kernel's favordynmods option: moving a process into a cgroup (what
/// systemd does for every scope) does not wait for an RCU grace period (see DoctorChecks.LaunchLatency).
/// </param>
public sealed record CgroupMount(string MountPoint, bool Version2, IReadOnlyList<string> Controllers, bool ReadOnly, bool FavorsDynamicModifications = false)
{
    /// <summary>The super option (cgroup2, and v1 when the kernel was booted with cgroup_favordynmods=true) that makes task migrations cheap.</summary>
    public const string FavorDynModsOption = "favordynmods";

    // The v1 super options that are settings, not controllers.
    private static readonly HashSet<string> NotControllers = new(StringComparer.Ordinal) { "rw", "ro", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", FavorDynModsOption };

    /// <summary>
    /// The cgroup mounts in a mountinfo text. A line is "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
    /// [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"; lines that do not parse are skipped.
    /// </summary>
    public static IReadOnlyList<CgroupMount> Parse(string mountinfo)
    {
        ArgumentNullException.ThrowIfNull(mountinfo);
        var mounts = new List<CgroupMount>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator < 6 || fields.Length < separator + 4 || fields[separator + 1] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            var version2 = fields[separator + 1] == "cgroup2";
            var readOnly = fields[5].Split(',').Contains("ro");
            var superOptions = fields[separator + 3].Split(',');
            var controllers = version2
                ? []
                : superOptions.Where(option => !NotControllers.Contains(option) && !option.Contains('=', StringComparison.Ordinal)).ToList();
            mounts.Add(new CgroupMount(Unescape(fields[4]), version2, controllers, readOnly, superOptions.Contains(FavorDynModsOption)));
        }

        return mounts;
    }

    // mountinfo writes a space in a path as \040.
    private static string Unescape(string path) => path.Replace("\\040", " ", StringComparison.Ordinal);
}
