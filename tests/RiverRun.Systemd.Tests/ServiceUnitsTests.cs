using System.Net;
using RiverRun.Systemd.Units;
using static RiverRun.Systemd.Tests.UnitFileTestHelpers;

namespace RiverRun.Systemd.Tests;

public class ServiceUnitsTests
{
    [Theory]
    [InlineData(ServiceRoles.Host, new[] { "riverrun-host.service", "riverrun-host.socket" })]
    [InlineData(ServiceRoles.Runner, new[] { "riverrun-runner.service", "riverrun-runner@.service" })]
    [InlineData(ServiceRoles.All, new[] { "riverrun-host.service", "riverrun-host.socket", "riverrun-runner.service", "riverrun-runner@.service" })]
    public void Each_role_gets_its_units_in_a_stable_order(ServiceRoles roles, string[] expected) =>
        Assert.Equal(expected, ServiceUnits.Generate(roles, Options()).Select(unit => unit.FileName));

    [Fact]
    public void No_role_is_refused() =>
        Assert.Throws<ArgumentException>(() => ServiceUnits.Generate(ServiceRoles.None, Options()));

    [Fact]
    public void Paths_with_spaces_are_quoted_in_every_exec_start()
    {
        var options = Options() with
        {
            Executable = "/opt/River Run/riverrun",
            HostConfigPath = "/etc/river run/host.toml",
            RunnerConfigPath = "/etc/river run/runner.toml",
        };

        var lines = ServiceUnits.Generate(ServiceRoles.All, options).SelectMany(Directives).Where(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)).ToArray();

        Assert.Equal(
            [
                "ExecStart=\"/opt/River Run/riverrun\" host --config \"/etc/river run/host.toml\"",
                "ExecStart=\"/opt/River Run/riverrun\" runner --config \"/etc/river run/runner.toml\"",
                "ExecStart=\"/opt/River Run/riverrun\" runner --config \"/etc/river run/runner.toml\" --instance %i",
            ],
            lines);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => ServiceUnits.Generate(ServiceRoles.Host, Options() with { HostConfigPath = "host.toml" }));

        Assert.StartsWith("--host-config: 'host.toml' is not an absolute path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_lists_every_problem()
    {
        var options = Options() with
        {
            Executable = "riverrun",
            RunnerConfigPath = "/etc/a\nb",
            HostListen = IPEndPoint.Parse("127.0.0.1:0"),
            OnFailure = "nope",
        };

        var problems = options.Validate();

        Assert.Collection(
            problems,
            p => Assert.StartsWith("--exec: 'riverrun' is not an absolute path", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--runner-config: the path contains a control character", p, StringComparison.Ordinal),
            p => Assert.StartsWith("the Host's listen address 127.0.0.1:0 has port 0", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--on-failure: unit name 'nope' does not end with a unit type", p, StringComparison.Ordinal));
    }
}
