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
    public void Root_sensitive_variables_reach_the_task_through_setenv_and_the_rest_stays_off_the_command_line()
    {
        var request = new ScopeRequest
        {
            UnitName = "riverrun-abc123",
            Environment = new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["API_TOKEN"] = "secret",
                ["LD_PRELOAD"] = "/tmp/x.so",
                ["LD_LIBRARY_PATH"] = "/opt/cuda/lib64",
            },
            Argv = ["true"],
            SpoolDirectory = "/var/lib/riverrun/spool/abc123",
        };

        var args = SystemdRunCommandBuilder.BuildArguments(request);
        var beforeCommand = args.Take(args.ToList().IndexOf("--")).ToList();

        Assert.Contains("--setenv=LD_PRELOAD=/tmp/x.so", beforeCommand);
        Assert.Contains("--setenv=LD_LIBRARY_PATH=/opt/cuda/lib64", beforeCommand);
        Assert.DoesNotContain(args, a => a.Contains("secret", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.Contains("PATH=/usr/bin", StringComparison.Ordinal));
    }
}
