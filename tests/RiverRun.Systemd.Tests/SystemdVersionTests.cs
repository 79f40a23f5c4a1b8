namespace RiverRun.Systemd.Tests;

public class SystemdVersionTests
{
    [Theory]
    [InlineData("systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT +SELINUX\n", 252)]
    [InlineData("systemd 255 (255.4-1ubuntu8)\n+PAM", 255)]
    [InlineData("systemd 219\n +PAM +AUDIT", 219)]
    [InlineData("systemd 256 (256.7-arch1-1)", 256)]
    public void The_major_version_is_read_from_the_first_line(string output, int expected)
    {
        Assert.Equal(expected, SystemdVersion.Parse(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("systemd-run: unrecognized option\n")]
    [InlineData("+PAM +AUDIT\nsystemd 252 (252)")]
    [InlineData("systemd abc")]
    public void Output_that_is_not_a_version_line_gives_null(string output)
    {
        Assert.Null(SystemdVersion.Parse(output));
    }

    [Fact]
    public void The_expand_environment_option_exists_from_254()
    {
        Assert.Equal(254, SystemdVersion.ExpandEnvironmentOptionSince);
    }

    [Fact]
    public async Task Detection_runs_systemd_run_with_version_and_parses_its_output()
    {
        using var temp = new TempDirectory();
        var fake = temp.WriteScript("systemd-run", "[ \"$1\" = --version ] && printf 'systemd 254 (254.5-1)\\n+PAM\\n'");

        var version = await SystemdVersion.DetectAsync(fake);

        Assert.Equal(254, version);
    }

    [Fact]
    public async Task Detection_reports_a_failing_systemd_run_with_its_message()
    {
        using var temp = new TempDirectory();
        var fake = temp.WriteScript("systemd-run", "echo 'broken install' >&2; exit 1");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => SystemdVersion.DetectAsync(fake));

        Assert.Contains("broken install", exception.Message, StringComparison.Ordinal);
    }
}
