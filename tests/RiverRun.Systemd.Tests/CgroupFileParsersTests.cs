namespace RiverRun.Systemd.Tests;

public class CgroupFileParsersTests
{
    private const string V2CpuStat = "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 10\nnr_throttled 2\nthrottled_usec 3000\n";
    private const string V2MemoryEvents = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n";
    private const string V1OomControl = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";

    [Fact]
    public void V2_cpu_stat_usage_is_read_in_microseconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), CgroupFileParsers.ReadCpuStatUsage(V2CpuStat));
    }

    [Fact]
    public void V1_cpuacct_usage_is_read_in_nanoseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(2500), CgroupFileParsers.ReadCpuAcctUsage("2500000000\n"));
    }

    [Fact]
    public void V2_memory_events_give_the_oom_kill_count_not_the_oom_group_kill_count()
    {
        Assert.Equal(1, CgroupFileParsers.ReadKeyedValue(V2MemoryEvents, "oom_kill"));
    }

    [Fact]
    public void V1_memory_oom_control_gives_the_oom_kill_count()
    {
        Assert.Equal(2, CgroupFileParsers.ReadKeyedValue(V1OomControl, "oom_kill"));
    }

    [Fact]
    public void V1_memory_oom_control_of_an_old_kernel_has_no_count()
    {
        Assert.Null(CgroupFileParsers.ReadKeyedValue("oom_kill_disable 0\nunder_oom 0\n", "oom_kill"));
    }

    [Theory]
    [InlineData("52428800\n", 52428800L)]
    [InlineData("max\n", null)]
    [InlineData("", null)]
    public void A_single_value_file_is_a_number_or_null(string text, long? expected)
    {
        Assert.Equal(expected, CgroupFileParsers.ReadSingleValue(text));
    }

    [Fact]
    public void Cgroup_procs_lists_one_pid_per_line()
    {
        Assert.Equal([12, 345], CgroupFileParsers.ReadProcessIds("12\n345\n"));
        Assert.Empty(CgroupFileParsers.ReadProcessIds(""));
    }
}
