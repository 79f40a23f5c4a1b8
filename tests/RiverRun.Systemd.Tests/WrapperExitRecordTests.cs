namespace RiverRun.Systemd.Tests;

public class WrapperExitRecordTests
{
    [Fact]
    public void A_normal_exit_has_an_exit_code_and_no_signal()
    {
        var record = WrapperExitRecord.Parse("status=3\noom_kill=0\n");

        Assert.Equal(3, record.RawStatus);
        Assert.Equal(3, record.ExitCode);
        Assert.Null(record.Signal);
        Assert.Equal(0, record.OomKills);
        Assert.False(record.WasOomKilled);
    }

    [Fact]
    public void A_record_is_complete_only_with_its_end_line()
    {
        Assert.True(WrapperExitRecord.Parse("status=0\noom_kill=0\nend=1\n").IsComplete);
        Assert.False(WrapperExitRecord.Parse("status=0\noom_kill=0\n").IsComplete);
        Assert.False(WrapperExitRecord.Parse("status=0\nend=").IsComplete);
    }

    [Fact]
    public void Status_137_with_an_oom_kill_reads_as_sigkill_by_the_oom_killer()
    {
        var record = WrapperExitRecord.Parse("status=137\noom_kill=1\noom_source=/sys/fs/cgroup/memory/system.slice/riverrun-x.scope/memory.oom_control\n");

        Assert.Null(record.ExitCode);
        Assert.Equal(9, record.Signal);
        Assert.True(record.WasOomKilled);
        Assert.Equal("/sys/fs/cgroup/memory/system.slice/riverrun-x.scope/memory.oom_control", record.OomSource);
    }

    [Fact]
    public void Usage_lines_give_cpu_time_in_microseconds_and_peak_memory_in_bytes()
    {
        var record = WrapperExitRecord.Parse("status=0\noom_kill=0\ncpu_usec=1234567\nmemory_peak=44040192\n");

        Assert.Equal(TimeSpan.FromMicroseconds(1_234_567), record.CpuTime);
        Assert.Equal(44_040_192, record.PeakMemoryBytes);
    }

    [Theory]
    [InlineData("status=0\n")]
    [InlineData("status=0\ncpu_usec=\nmemory_peak=max\n")]
    [InlineData("status=0\ncpu_usec=-5\nmemory_peak=1e9\n")]
    public void Missing_or_malformed_usage_is_unknown_and_keeps_the_status(string text)
    {
        var record = WrapperExitRecord.Parse(text);

        Assert.Equal(0, record.ExitCode);
        Assert.Null(record.CpuTime);
        Assert.Null(record.PeakMemoryBytes);
    }

    [Theory]
    [InlineData(128, 128, null)]
    [InlineData(129, null, 1)]
    [InlineData(143, null, 15)]
    [InlineData(192, null, 64)]
    [InlineData(193, 193, null)]
    [InlineData(255, 255, null)]
    [InlineData(0, 0, null)]
    public void Statuses_above_128_are_signals_only_when_the_remainder_is_a_signal_number(int raw, int? exitCode, int? signal)
    {
        var record = WrapperExitRecord.Parse($"status={raw}\n");

        Assert.Equal(exitCode, record.ExitCode);
        Assert.Equal(signal, record.Signal);
    }

    [Fact]
    public void A_missing_oom_count_is_unknown_rather_than_zero()
    {
        var record = WrapperExitRecord.Parse("status=0\n");

        Assert.Null(record.OomKills);
    }

    [Fact]
    public void A_launch_error_has_no_status_and_carries_the_reason()
    {
        var record = WrapperExitRecord.Parse("error=cannot change to the working directory\n");

        Assert.Null(record.RawStatus);
        Assert.Null(record.ExitCode);
        Assert.Equal("cannot change to the working directory", record.Error);
    }

    [Fact]
    public void Unknown_keys_and_blank_lines_are_ignored_so_the_format_can_grow()
    {
        var record = WrapperExitRecord.Parse("\nversion=2\nstatus=1\r\nnoise\n");

        Assert.Equal(1, record.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("oom_kill=1\n")]
    [InlineData("status=abc\n")]
    [InlineData("status=-1\n")]
    public void A_record_without_a_usable_status_or_error_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => WrapperExitRecord.Parse(text));
    }

    [Fact]
    public void A_cpu_time_beyond_what_a_timespan_holds_is_unknown_not_an_overflow()
    {
        // Found by the fuzz tests: the task's user can write this file, and FromMicroseconds threw.
        var record = WrapperExitRecord.Parse("status=0\ncpu_usec=1844674407370955161\n");

        Assert.Equal(0, record.ExitCode);
        Assert.Null(record.CpuTime);
    }
}
