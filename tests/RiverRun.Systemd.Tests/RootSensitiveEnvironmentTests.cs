namespace RiverRun.Systemd.Tests;

public class RootSensitiveEnvironmentTests
{
    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("LD_AUDIT")]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("MALLOC_ARENA_MAX")]
    [InlineData("GCONV_PATH")]
    [InlineData("DBUS_SYSTEM_BUS_ADDRESS")]
    [InlineData("SYSTEMD_LOG_LEVEL")]
    [InlineData("NOTIFY_SOCKET")]
    public void Variables_that_steer_a_root_process_are_root_sensitive(string name) =>
        Assert.True(RootSensitiveEnvironment.Contains(name));

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("CUDA_VISIBLE_DEVICES")]
    [InlineData("MY_LD_PRELOAD")]
    public void Ordinary_variables_are_not(string name) =>
        Assert.False(RootSensitiveEnvironment.Contains(name));

    [Fact]
    public void The_split_keeps_every_variable_exactly_once()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["LD_PRELOAD"] = "/tmp/x.so",
            ["TOKEN"] = "secret",
        };

        var (process, taskOnly) = RootSensitiveEnvironment.Split(environment);

        Assert.Equal(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["TOKEN"] = "secret" }, process);
        Assert.Equal(new Dictionary<string, string> { ["LD_PRELOAD"] = "/tmp/x.so" }, taskOnly);
    }

    [Fact]
    public void Carried_variables_are_listed_in_name_order_and_their_values_kept_byte_for_byte()
    {
        var carried = RootSensitiveEnvironment.Carry(new Dictionary<string, string>
        {
            ["TOKEN"] = "secret",
            ["TMPDIR"] = "/t",
            ["LD_PRELOAD"] = "line 1\nline 2 'q' \"d\" $x `y`",
        });

        Assert.Equal("LD_PRELOAD TMPDIR", carried[RootSensitiveEnvironment.CarrierList]);
        Assert.Equal("line 1\nline 2 'q' \"d\" $x `y`", carried["RIVERRUN_TASK_ONLY_LD_PRELOAD"]);
        Assert.Equal("/t", carried["RIVERRUN_TASK_ONLY_TMPDIR"]);
        Assert.Equal("secret", carried["TOKEN"]);
        Assert.False(carried.ContainsKey("LD_PRELOAD"));
        Assert.False(carried.ContainsKey("TMPDIR"));
        Assert.Equal(4, carried.Count);
    }

    [Theory]
    [InlineData("LD_A-B")]
    [InlineData("LD_$(id)")]
    [InlineData("LD_A B")]
    public void A_root_sensitive_name_the_wrapper_could_not_restore_safely_is_refused_naming_it(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => RootSensitiveEnvironment.Carry(new Dictionary<string, string> { [name] = "x" }));

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.False(RootSensitiveEnvironment.IsCarriable(name));
    }

    [Theory]
    [InlineData("RIVERRUN_TASK_ONLY")]
    [InlineData("RIVERRUN_TASK_ONLY_LD_PRELOAD")]
    [InlineData("LD_A-B")]
    public void A_request_with_a_carrier_name_or_an_uncarriable_root_sensitive_name_is_invalid(string name)
    {
        var request = new ScopeRequest
        {
            UnitName = "riverrun-abc123",
            Environment = new Dictionary<string, string> { [name] = "x" },
            Argv = ["true"],
            SpoolDirectory = "/var/lib/riverrun/spool/abc123",
        };

        var ex = Assert.Throws<ArgumentException>(request.Validate);

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }
}
