using RiverRun.Runner.Doctor;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tests.Doctor;

public sealed class DoctorChecksTests
{
    // What the sandbox's nodes look like (Debian 12, v1 hybrid, controllers remounted read-write).
    private const string HybridMountinfo = """
        30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate,favordynmods
        32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        35 30 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
        36 30 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
        37 30 0:33 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,pids
        38 30 0:34 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,cpuset
        40 25 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        """;

    [Fact]
    public void Mountinfo_yields_each_cgroup_mount_with_its_controllers_and_whether_it_is_read_only()
    {
        var mounts = CgroupMount.Parse(HybridMountinfo.Replace("/memory rw,", "/memory ro,", StringComparison.Ordinal));

        Assert.Equal(
            ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpuset"],
            mounts.Select(m => m.MountPoint));
        Assert.True(mounts[0].Version2);
        Assert.Empty(mounts[1].Controllers);
        Assert.Equal(["cpu", "cpuacct"], mounts[2].Controllers);
        Assert.True(mounts[3].ReadOnly);
        Assert.False(mounts[4].ReadOnly);
        Assert.Equal([true, false, false, false, false, false], mounts.Select(m => m.FavorsDynamicModifications));
    }

    [Fact]
    public void A_healthy_v1_node_passes_every_check()
    {
        var checks = DoctorChecks.Evaluate(Healthy());

        Assert.All(checks, check => Assert.True(check.Ok, $"{check.Name}: {check.Detail}"));
        Assert.Equal(["systemd", "cgroups", "memory limit", "cpu limit", "launch latency", "root", "host", "token file"], checks.Select(c => c.Name));
        Assert.DoesNotContain(checks, check => check.IsNote);
        Assert.Equal("v1 (legacy/hybrid); writable: cpu memory pids cpuset", checks[1].Detail);
        Assert.Equal("enforced: a scope with CPUQuota=20% around a 1 s busy loop used 0.21 s of CPU", checks[3].Detail);
    }

    [Fact]
    public void A_machine_whose_pid_1_is_not_systemd_fails_saying_what_pid_1_is_and_skips_the_probes()
    {
        var checks = DoctorChecks.Evaluate(Healthy() with { Pid1Name = "bash", SystemdBooted = false, MemoryProbe = null, CpuProbe = null });

        Assert.Equal("PID 1 is 'bash', not systemd (/run/systemd/system is missing)", checks[0].Detail);
        Assert.Contains("booted with systemd as PID 1", checks[0].Fix, StringComparison.Ordinal);
        Assert.Equal("not probed: systemd is not PID 1", checks[2].Detail);
        Assert.False(checks[3].Ok);
    }

    [Fact]
    public void Read_only_v1_controllers_fail_with_the_remount_that_fixes_them()
    {
        var facts = Healthy() with { CgroupMounts = CgroupMount.Parse(HybridMountinfo.Replace("/memory rw,", "/memory ro,", StringComparison.Ordinal)) };

        var check = DoctorChecks.Cgroups(facts);

        Assert.False(check.Ok);
        Assert.Equal("v1 (legacy/hybrid); writable: cpu pids cpuset; read-only: memory; unusable: memory", check.Detail);
        Assert.StartsWith("mount the memory hierarchies read-write (in a container: mount -o remount,bind,rw", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void On_cgroup_v2_cpu_and_memory_must_be_available_and_the_delegated_ones_are_reported()
    {
        var v2 = Healthy() with { CgroupVersion = CgroupVersion.Unified, V2Available = ["cpuset", "cpu", "io", "memory", "pids"], V2Delegated = ["cpu", "memory", "pids"] };

        Assert.Equal("v2 (unified); available: cpuset cpu io memory pids; delegated to slices: cpu memory pids", DoctorChecks.Cgroups(v2).Detail);
        Assert.True(DoctorChecks.Cgroups(v2).Ok);
        var noMemory = DoctorChecks.Cgroups(v2 with { V2Available = ["cpu", "pids"] });
        Assert.False(noMemory.Ok);
        Assert.EndsWith("missing: memory", noMemory.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(137, true, "enforced: a scope with MemoryMax=16M around a process that holds 64M was killed (SIGKILL) in 30 ms")]
    [InlineData(0, false, "not enforced: a scope with MemoryMax=16M around a process that holds 64M ran to completion")]
    [InlineData(1, false, "the probe failed with exit 1: Failed to start transient scope unit: Unit x.scope already exists.")]
    public void The_memory_probe_passes_only_when_the_process_was_killed(int exitCode, bool ok, string detail)
    {
        var check = DoctorChecks.MemoryLimit(new(exitCode, "", "Failed to start transient scope unit: Unit x.scope already exists.\n", TimeSpan.FromMilliseconds(30)));

        Assert.Equal(ok, check.Ok);
        Assert.Equal(detail, check.Detail);
    }

    [Theory]
    [InlineData("0m0.001s 0m0.000s\n0m0.180s 0m0.030s\n", true)]
    [InlineData("0m0.001s 0m0.000s\n0m0.950s 0m0.040s\n", false)]
    public void The_cpu_probe_passes_only_when_the_loop_used_well_under_its_wall_time(string times, bool ok)
    {
        var check = DoctorChecks.CpuLimit(new(0, times, "", TimeSpan.FromSeconds(1)));

        Assert.Equal(ok, check.Ok);
        Assert.StartsWith(ok ? "enforced:" : "not enforced:", check.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0m0.001s 0m0.000s\n1m2.500s 0m0.250s\n", 62.75)]
    [InlineData("garbage", null)]
    public void Bash_times_gives_the_childrens_cpu_seconds(string times, double? seconds)
    {
        Assert.Equal(seconds, DoctorChecks.ChildrenCpuSeconds(times));
    }

    [Fact]
    public void An_unreachable_host_fails_naming_the_address_and_the_cause()
    {
        var check = DoctorChecks.Host(new("http://head:8700", null, "Connection refused"));

        Assert.False(check.Ok);
        Assert.Equal("cannot reach the Host at http://head:8700: Connection refused", check.Detail);
        Assert.Contains("--host URL or RIVERRUN_HOST=URL", check.Fix, StringComparison.Ordinal);
        Assert.False(DoctorChecks.Host(new("http://head:8700", "NotServing", null)).Ok);
    }

    [Fact]
    public void A_token_file_readable_by_others_or_not_owned_by_root_fails_with_chmod_and_chown()
    {
        var open = DoctorChecks.TokenFile(new("/etc/riverrun/riverrun.env", true, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, 1000));

        Assert.False(open.Ok);
        Assert.Equal("/etc/riverrun/riverrun.env: mode 0644 lets other users read it; owned by uid 1000, not root", open.Detail);
        Assert.Equal("chmod 600 /etc/riverrun/riverrun.env and chown root:root /etc/riverrun/riverrun.env (it holds the Runner's token)", open.Fix);
        Assert.True(DoctorChecks.TokenFile(new("/x.env", false, null, null)).Ok);
        Assert.True(DoctorChecks.TokenFile(new("/x.env", true, UnixFileMode.UserRead | UnixFileMode.UserWrite, 0)).Ok);
    }

    [Fact]
    public void Launch_latency_passes_when_a_hierarchy_favors_dynamic_modifications_naming_it()
    {
        var check = DoctorChecks.LaunchLatency(Healthy());

        Assert.True(check.Ok);
        Assert.False(check.IsNote);
        Assert.Equal("favordynmods is on (/sys/fs/cgroup/unified): a task joins its scope without waiting for an RCU grace period", check.Detail);
    }

    [Fact]
    public void Launch_latency_without_favordynmods_is_a_note_with_the_remount_of_the_visible_cgroup2_mount()
    {
        var facts = Healthy() with { CgroupMounts = CgroupMount.Parse(HybridMountinfo.Replace(",favordynmods", "", StringComparison.Ordinal)) };

        var check = DoctorChecks.LaunchLatency(facts);

        Assert.True(check.IsNote);
        Assert.StartsWith("favordynmods is off: on a node that was idle, moving each task into its scope waits for an RCU grace period", check.Detail, StringComparison.Ordinal);
        Assert.StartsWith("mount -o remount,favordynmods /sys/fs/cgroup/unified (until the next boot; to keep it across reboots, boot with cgroup_favordynmods=true", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Launch_latency_in_a_container_without_a_cgroup2_mount_is_a_note_saying_it_cannot_be_seen_and_what_to_check_on_the_machine()
    {
        var v1Only = string.Join('\n', HybridMountinfo.Split('\n').Where(line => !line.Contains("cgroup2", StringComparison.Ordinal)));

        var check = DoctorChecks.LaunchLatency(Healthy() with { CgroupMounts = CgroupMount.Parse(v1Only) });

        Assert.True(check.IsNote);
        Assert.StartsWith("favordynmods cannot be seen from here (no cgroup2 mount", check.Detail, StringComparison.Ordinal);
        Assert.StartsWith("on the machine: grep favordynmods /proc/mounts; if absent, mount -o remount,favordynmods /sys/fs/cgroup/unified", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Launch_latency_passes_on_a_kernel_that_predates_favordynmods_because_its_moves_never_wait()
    {
        var facts = Healthy() with
        {
            CgroupMounts = CgroupMount.Parse(HybridMountinfo.Replace(",favordynmods", "", StringComparison.Ordinal)),
            KernelCgroupFeatures = ["nsdelegate", "memory_localevents"],
        };

        var check = DoctorChecks.LaunchLatency(facts);

        Assert.True(check.Ok);
        Assert.False(check.IsNote);
        Assert.StartsWith("the kernel predates favordynmods (Linux 6.0)", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_is_printed_with_its_fix_and_counts_as_passed_in_the_summary()
    {
        var text = DoctorReport.Format([DoctorCheck.Pass("root", "running as root"), DoctorCheck.Note("launch latency", "slow", "remount")]);

        Assert.Equal("ok    root            running as root\nnote  launch latency  slow\n                      fix: remount\nall 2 checks passed (1 with a note): this node can run a Runner\n", text);
    }

    [Fact]
    public void The_report_has_one_line_per_check_a_fix_line_under_each_failure_and_a_summary()
    {
        var text = DoctorReport.Format([DoctorCheck.Pass("root", "running as root"), DoctorCheck.Fail("host", "cannot reach", "start it")]);

        Assert.Equal("ok    root  running as root\nFAIL  host  cannot reach\n            fix: start it\n1 of 2 checks failed\n", text);
    }

    private static NodeFacts Healthy() => new()
    {
        Pid1Name = "systemd",
        SystemdBooted = true,
        SystemdVersion = 252,
        CgroupVersion = CgroupVersion.Legacy,
        CgroupMounts = CgroupMount.Parse(HybridMountinfo),
        KernelCgroupFeatures = ["nsdelegate", "favordynmods", "memory_localevents"],
        IsRoot = true,
        MemoryProbe = new(137, "", "", TimeSpan.FromMilliseconds(30)),
        CpuProbe = new(0, "0m0.001s 0m0.000s\n0m0.200s 0m0.010s\n", "", TimeSpan.FromSeconds(1)),
        Host = new("http://127.0.0.1:8700", "Serving", null),
        TokenFile = new("/etc/riverrun/riverrun.env", false, null, null),
    };
}
