using RiverRun.Systemd.Units;
using static RiverRun.Systemd.Tests.UnitFileTestHelpers;

namespace RiverRun.Systemd.Tests;

public class RunnerUnitsTests
{
    private static string[] Expected(string description, string execStart) =>
    [
        "[Unit]",
        $"Description={description}",
        "Wants=network-online.target",
        "After=network-online.target",
        "StartLimitIntervalSec=0",
        "[Service]",
        "Type=notify",
        "NotifyAccess=main",
        "WatchdogSec=30s",
        "TimeoutAbortSec=5s",
        "Restart=always",
        "RestartSec=2",
        "RestartPreventExitStatus=2",
        "EnvironmentFile=-/etc/riverrun/riverrun.env",
        $"ExecStart={execStart}",
        "KillMode=control-group",
        "[Install]",
        "WantedBy=multi-user.target",
    ];

    [Fact]
    public void The_plain_runner_service_is_exactly_these_directives()
    {
        var unit = RunnerUnits.Service(Options());

        Assert.Equal("riverrun-runner.service", unit.FileName);
        Assert.Equal(Expected("RiverRun Runner", "/usr/local/bin/riverrun runner --config /etc/riverrun/runner.toml"), Directives(unit));
    }

    [Fact]
    public void The_template_passes_its_instance_name_to_the_runner()
    {
        var unit = RunnerUnits.Template(Options());

        Assert.Equal("riverrun-runner@.service", unit.FileName);
        Assert.Equal(
            Expected("RiverRun Runner %i", "/usr/local/bin/riverrun runner --config /etc/riverrun/runner.toml --instance %i"),
            Directives(unit));
        Assert.Contains("runner-gpu0.toml", unit.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ProtectSystem=")]
    [InlineData("ProtectHome=")]
    [InlineData("PrivateTmp=")]
    [InlineData("ReadOnlyPaths=")]
    [InlineData("NoNewPrivileges=")]
    [InlineData("SystemCallFilter=")]
    [InlineData("CapabilityBoundingSet=")]
    [InlineData("OOMScoreAdjust=")]
    [InlineData("User=")]
    [InlineData("DynamicUser=")]
    [InlineData("StateDirectory=")]
    public void The_runner_gets_no_option_its_tasks_would_inherit_and_its_comment_says_why(string option)
    {
        foreach (var unit in new[] { RunnerUnits.Service(Options()), RunnerUnits.Template(Options()) })
        {
            Assert.DoesNotContain(Directives(unit), line => line.StartsWith(option, StringComparison.Ordinal));
            Assert.Contains(option, unit.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_kill_mode_comment_says_tasks_survive_a_runner_stop()
    {
        var comment = CommentAbove(RunnerUnits.Service(Options()), "KillMode=control-group");

        Assert.Contains("keep", comment, StringComparison.Ordinal);
        Assert.Contains("scope units of their own", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void On_failure_is_added_to_both_runner_units()
    {
        var options = Options() with { OnFailure = "page-me.target" };

        Assert.Contains("OnFailure=page-me.target", Directives(RunnerUnits.Service(options)));
        Assert.Contains("OnFailure=page-me.target", Directives(RunnerUnits.Template(options)));
        Assert.DoesNotContain(Directives(RunnerUnits.Service(Options())), line => line.StartsWith("OnFailure=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gpu0", "riverrun-runner@gpu0.service")]
    [InlineData("numa-1", "riverrun-runner@numa-1.service")]
    [InlineData("A_b9", "riverrun-runner@A_b9.service")]
    public void An_instance_unit_is_named_after_the_template(string instance, string expected) =>
        Assert.Equal(expected, RunnerUnits.InstanceUnit(instance));

    [Fact]
    public void An_invalid_instance_has_no_unit()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunnerUnits.InstanceUnit("gpu 0"));

        Assert.StartsWith("instance name 'gpu 0' contains ' '", ex.Message, StringComparison.Ordinal);
    }
}
