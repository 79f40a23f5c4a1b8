namespace RiverRun.Systemd;

/// <summary>How the machine's cgroup hierarchies are mounted.</summary>
public enum CgroupVersion
{
    /// <summary>cgroup v2 only, mounted at /sys/fs/cgroup.</summary>
    Unified,

    /// <summary>v1 controllers under /sys/fs/cgroup/&lt;controller&gt;, possibly with an (empty) v2 at /sys/fs/cgroup/unified.</summary>
    Legacy,
}
