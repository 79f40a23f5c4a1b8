using System.Globalization;
using System.Text.RegularExpressions;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Services;

/// <summary>
/// The units `riverrun init service` writes, judged by the node's own systemd (252):
/// systemd-analyze verify for every flag combination, and the Host unit's exposure score.
/// </summary>
[Collection(ServiceUnitsTestGroup.Name)]
public sealed partial class InitServiceUnitsTests(ServiceUnitsFixture fixture)
{
    private const string Riverrun = "/opt/riverrun/riverrun";

    // An executable path that needs quoting and escaping in ExecStart= ('%' and '$' too).
    private const string OddExec = "/opt/River Run 100% $HOME/riverrun";

    [Theory]
    [InlineData("host", "--host")]
    [InlineData("runner", "--runner")]
    [InlineData("all", "--all")]
    [InlineData("instances", "--runner", "--instance", "gpu0", "--instance", "numa_1")]
    [InlineData("configs", "--all", "--host-config", "/etc/rr conf/host.toml", "--runner-config", "/etc/rr conf/runner.toml")]
    [InlineData("single-config", "--runner", "--config", "/srv/runner.toml")]
    [InlineData("on-failure", "--all", "--on-failure", "notify-admin@%n.service")]
    [InlineData("odd-exec", "--all", "--exec", OddExec)]
    public async Task Every_unit_init_service_writes_passes_systemd_analyze_verify(string name, params string[] flags)
    {
        var sandbox = fixture.Ready();
        var directory = $"/root/units-{name}";
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "mkdir", "-p", Path.GetDirectoryName(OddExec)!);
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "ln", "-sfn", Riverrun, OddExec);
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "rm", "-rf", directory);
        // Configuration files the flags name must exist: init refuses to point a unit at none.
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "sh", "-c", "mkdir -p '/etc/rr conf' && : > '/etc/rr conf/host.toml' && : > '/etc/rr conf/runner.toml'");

        var init = await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, [Riverrun, "init", "service", .. flags, "--output-dir", directory]);
        var files = (await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "find", directory, "-type", "f")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        var expected = (flags[0] == "--host" ? 2 : flags[0] == "--runner" ? 2 : 4);
        Assert.Equal(expected, files.Length);
        Assert.All(files, file => Assert.Contains($"wrote {file}", init.StandardOutput, StringComparison.Ordinal));

        var verify = await sandbox.ExecAsync(ServiceUnitsFixture.Node, ["systemd-analyze", "verify", .. files]);

        // verify exits 0 even for an unknown key: any warning on stderr is a failure too.
        Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0, $"systemd-analyze verify {string.Join(' ', files)}: {verify}");
    }

    [Fact]
    public async Task Systemd_reads_back_the_quoted_exec_path_as_one_argument()
    {
        var sandbox = fixture.Ready();
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "mkdir", "-p", Path.GetDirectoryName(OddExec)!);
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "ln", "-sfn", Riverrun, OddExec);
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, Riverrun, "init", "service", "--runner", "--exec", OddExec, "--runner-config", "/etc/rr conf/$x 5%/runner.toml", "--install");

        var show = await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "systemctl", "show", "-p", "ExecStart", "riverrun-runner.service");

        Assert.Contains($"path={OddExec} ;", show.StandardOutput, StringComparison.Ordinal);
        // show prints the arguments as stored: "$$" becomes "$" only when the process starts (a
        // unit running echo "$$x" printed "$x" on systemd 252), while the program path is never expanded.
        Assert.Contains($"argv[]={OddExec} runner --config /etc/rr conf/$$x 5%/runner.toml ;", show.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_host_unit_has_an_exposure_of_at_most_2_and_the_tokens_file_is_0600_root()
    {
        var sandbox = fixture.Ready();
        await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, Riverrun, "init", "service", "--host", "--install");

        var security = await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "systemd-analyze", "security", "--no-pager", "riverrun-host.service");
        var stat = await sandbox.ExecCheckedAsync(ServiceUnitsFixture.Node, "stat", "-c", "%a %U %G", "/etc/riverrun/riverrun.env");

        var match = Exposure().Match(security.StandardOutput);
        Assert.True(match.Success, $"no overall exposure in: {security}");
        var score = double.Parse(match.Groups["score"].Value, CultureInfo.InvariantCulture);
        TestContext.Current.SendDiagnosticMessage($"systemd-analyze security riverrun-host.service: {match.Value}");
        TestContext.Current.TestOutputHelper?.WriteLine($"systemd-analyze security riverrun-host.service: {match.Value}");
        Assert.True(score <= 2.0, $"exposure {score} > 2.0:\n{security.StandardOutput}");
        Assert.Equal("600 root root", stat.StandardOutput.Trim());
    }

    [GeneratedRegex(@"Overall exposure level for riverrun-host\.service: (?<score>\d+\.\d+) \S+")]
    private static partial Regex Exposure();
}
