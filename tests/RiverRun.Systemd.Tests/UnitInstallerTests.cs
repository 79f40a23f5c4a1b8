using RiverRun.Systemd.Units;
using static RiverRun.Systemd.Tests.UnitFileTestHelpers;

namespace RiverRun.Systemd.Tests;

public class UnitInstallerTests
{
    [Fact]
    public void Installing_under_a_root_writes_the_units_and_a_private_tokens_file()
    {
        using var root = new TempDirectory();
        var installer = new UnitInstaller(root.Path);
        var units = ServiceUnits.Generate(ServiceRoles.All, Options());

        var result = installer.WriteFiles(units);

        Assert.False(installer.IsLiveSystem);
        Assert.Equal(units.Select(u => root.Combine("etc", "systemd", "system", u.FileName)), result.UnitPaths);
        foreach (var unit in units)
        {
            var path = root.Combine("etc", "systemd", "system", unit.FileName);
            Assert.Equal(unit.Text, File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        }

        var environmentFile = root.Combine("etc", "riverrun", "riverrun.env");
        Assert.Equal(environmentFile, result.EnvironmentFile);
        Assert.True(result.EnvironmentFileCreated);
        Assert.Null(result.EnvironmentFileWarning);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(environmentFile));
        Assert.StartsWith("# RiverRun's secrets", File.ReadAllText(environmentFile), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(root.Combine("etc", "systemd", "system"), ".*"));
    }

    [Fact]
    public void An_existing_tokens_file_is_kept_as_it_is_and_a_readable_one_is_warned_about()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("etc", "riverrun"));
        var environmentFile = root.Combine("etc", "riverrun", "riverrun.env");
        File.WriteAllText(environmentFile, "RIVERRUN_TOKEN=secret\n");
        File.SetUnixFileMode(environmentFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = new UnitInstaller(root.Path).WriteFiles([RunnerUnits.Service(Options())]);

        Assert.False(result.EnvironmentFileCreated);
        Assert.Equal("RIVERRUN_TOKEN=secret\n", File.ReadAllText(environmentFile));
        Assert.NotNull(result.EnvironmentFileWarning);
        Assert.Contains("mode 644", result.EnvironmentFileWarning, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {environmentFile}", result.EnvironmentFileWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.EnvironmentFileWarning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activating_under_a_root_runs_no_daemon_reload_and_enables_with_root()
    {
        using var root = new TempDirectory();
        using var scripts = new TempDirectory();
        var calls = scripts.Combine("calls");
        var systemctl = scripts.WriteScript("systemctl", $"printf '%s\\n' \"$*\" >> '{calls}'");
        var installer = new UnitInstaller(root.Path, systemctl);

        await installer.ActivateAsync(["riverrun-runner@gpu0.service"], enable: true, now: false, TestContext.Current.CancellationToken);

        Assert.Equal([$"--root={root.Path} enable -- riverrun-runner@gpu0.service"], File.ReadAllLines(calls));
    }

    [Fact]
    public async Task Activating_the_live_system_reloads_then_enables_and_starts()
    {
        using var scripts = new TempDirectory();
        var calls = scripts.Combine("calls");
        var systemctl = scripts.WriteScript("systemctl", $"printf '%s\\n' \"$*\" >> '{calls}'");
        var installer = new UnitInstaller("/", systemctl);

        await installer.ActivateAsync(["riverrun-host.socket", "riverrun-host.service"], enable: true, now: true, TestContext.Current.CancellationToken);

        Assert.Equal(["daemon-reload", "enable --now -- riverrun-host.socket riverrun-host.service"], File.ReadAllLines(calls));
    }

    [Fact]
    public async Task A_failing_systemctl_is_an_error_with_its_message()
    {
        using var scripts = new TempDirectory();
        var systemctl = scripts.WriteScript("systemctl", "echo 'Failed to connect to bus' >&2; exit 1");

        var ex = await Assert.ThrowsAsync<SystemctlException>(() => new UnitInstaller("/", systemctl).ActivateAsync([], enable: false, now: false, TestContext.Current.CancellationToken));

        Assert.Contains("daemon-reload", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Failed to connect to bus", ex.Message, StringComparison.Ordinal);
    }
}
