namespace RiverRun.Systemd.Tests;

/// <summary>The cgroup readers against a fake /sys/fs/cgroup tree of sample files.</summary>
public sealed class ScopeCgroupTests : IDisposable
{
    private const string Scope = "/riverrun.slice/riverrun-node1.slice/riverrun-x.scope";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private void Write(string relativeDirectory, string file, string text)
    {
        var directory = _temp.Path + relativeDirectory;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, file), text);
    }

    [Fact]
    public void A_root_with_cgroup_controllers_is_unified_and_one_without_is_legacy()
    {
        Assert.Equal(CgroupVersion.Legacy, CgroupLayout.Detect(_temp.Path).Version);

        File.WriteAllText(_temp.Combine("cgroup.controllers"), "cpuset cpu io memory pids\n");

        Assert.Equal(CgroupVersion.Unified, CgroupLayout.Detect(_temp.Path).Version);
    }

    [Fact]
    public void On_v2_usage_memory_oom_kills_and_processes_come_from_the_scopes_own_directory()
    {
        Write(Scope, "cpu.stat", "usage_usec 2000000\nuser_usec 1500000\n");
        Write(Scope, "memory.current", "1048576\n");
        Write(Scope, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        Write(Scope, "cgroup.procs", "100\n101\n");
        var cgroup = new ScopeCgroup(new CgroupLayout(CgroupVersion.Unified, _temp.Path), Scope);

        Assert.Equal(TimeSpan.FromSeconds(2), cgroup.ReadCpuUsage());
        Assert.Equal(1048576, cgroup.ReadMemoryCurrent());
        Assert.Equal(1, cgroup.ReadOomKills());
        Assert.Equal([100, 101], cgroup.ReadProcessIds());
        Assert.True(cgroup.HasProcesses());
    }

    [Fact]
    public void On_v1_each_value_comes_from_its_controllers_hierarchy()
    {
        Write("/cpuacct" + Scope, "cpuacct.usage", "3000000000\n");
        Write("/memory" + Scope, "memory.usage_in_bytes", "4096\n");
        Write("/memory" + Scope, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Write("/systemd" + Scope, "cgroup.procs", "");
        var cgroup = new ScopeCgroup(new CgroupLayout(CgroupVersion.Legacy, _temp.Path), Scope);

        Assert.Equal(TimeSpan.FromSeconds(3), cgroup.ReadCpuUsage());
        Assert.Equal(4096, cgroup.ReadMemoryCurrent());
        Assert.Equal(2, cgroup.ReadOomKills());
        Assert.False(cgroup.HasProcesses());
    }

    [Fact]
    public void On_v1_a_joint_cpu_cpuacct_mount_is_preferred()
    {
        Write("/cpu,cpuacct" + Scope, "cpuacct.usage", "1000000000\n");
        var cgroup = new ScopeCgroup(new CgroupLayout(CgroupVersion.Legacy, _temp.Path), Scope);

        Assert.Equal(TimeSpan.FromSeconds(1), cgroup.ReadCpuUsage());
    }

    [Fact]
    public void A_scope_whose_cgroup_is_gone_reads_as_unknown_not_as_an_error()
    {
        var cgroup = new ScopeCgroup(new CgroupLayout(CgroupVersion.Unified, _temp.Path), Scope);

        Assert.Null(cgroup.ReadCpuUsage());
        Assert.Null(cgroup.ReadMemoryCurrent());
        Assert.Null(cgroup.ReadOomKills());
        Assert.Null(cgroup.ReadProcessIds());
        Assert.False(cgroup.HasProcesses());
    }

    [Fact]
    public void A_cgroup_path_that_climbs_out_of_the_hierarchy_is_refused()
    {
        var layout = new CgroupLayout(CgroupVersion.Unified, _temp.Path);

        Assert.Throws<ArgumentException>(() => layout.MemoryDirectory("/../../etc"));
    }

    [Fact]
    public async Task The_cgroup_of_a_unit_is_found_through_its_control_group_property()
    {
        var fake = new FakeSystemctl(_temp, controlGroup: Scope);

        var cgroup = await ScopeCgroup.ForUnitAsync(new Systemctl(fake.Path), new CgroupLayout(CgroupVersion.Unified, _temp.Path), "riverrun-x");

        Assert.Equal(Scope, cgroup?.Path);
    }

    [Fact]
    public async Task A_unit_without_a_control_group_has_no_cgroup()
    {
        var fake = new FakeSystemctl(_temp, controlGroup: "");

        var cgroup = await ScopeCgroup.ForUnitAsync(new Systemctl(fake.Path), new CgroupLayout(CgroupVersion.Unified, _temp.Path), "riverrun-x");

        Assert.Null(cgroup);
    }

    [Fact]
    public async Task Liveness_trusts_an_empty_process_list_over_an_active_state()
    {
        Write("/systemd" + Scope, "cgroup.procs", "");
        var fake = new FakeSystemctl(_temp, controlGroup: Scope);
        var liveness = new ScopeLiveness(new Systemctl(fake.Path), new CgroupLayout(CgroupVersion.Legacy, _temp.Path));

        Assert.False(await liveness.IsAliveAsync("riverrun-x"));

        Write("/systemd" + Scope, "cgroup.procs", "42\n");

        Assert.True(await liveness.IsAliveAsync("riverrun-x"));
    }
}
