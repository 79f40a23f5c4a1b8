using System.Net;
using RiverRun.Systemd.Units;

namespace RiverRun.Systemd.Tests;

public class UnitSyntaxTests
{
    [Theory]
    [InlineData("/usr/bin/riverrun", "/usr/bin/riverrun")]
    [InlineData("/opt/River Run/riverrun", "\"/opt/River Run/riverrun\"")]
    [InlineData("/etc/100%/host.toml", "/etc/100%%/host.toml")]
    [InlineData("/etc/$HOME/host.toml", "/etc/$$HOME/host.toml")]
    [InlineData("/etc/say \"hi\"/h.toml", "\"/etc/say \\\"hi\\\"/h.toml\"")]
    [InlineData(@"/etc/back\slash", "\"/etc/back\\\\slash\"")]
    [InlineData("/etc/it's", "\"/etc/it's\"")]
    [InlineData("", "\"\"")]
    public void A_command_word_is_quoted_and_escaped_so_systemd_reads_it_back_unchanged(string word, string expected) =>
        Assert.Equal(expected, UnitSyntax.CommandWord(word));

    [Theory]
    [InlineData("/etc/a\nExecStartPre=/bin/rm")]
    [InlineData("/etc/a\rb")]
    [InlineData("/etc/a\tb")]
    [InlineData("/etc/a\0b")]
    public void A_command_word_with_a_control_character_is_refused_rather_than_ending_the_directive(string word)
    {
        var ex = Assert.Throws<ArgumentException>(() => UnitSyntax.CommandWord(word));

        Assert.Contains("control character", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dollar_in_the_program_stays_single_because_systemd_expands_no_variables_there() =>
        Assert.Equal("\"/opt/a $HOME/riverrun\" --config /etc/$$x", UnitSyntax.CommandLine(["/opt/a $HOME/riverrun", "--config", "/etc/$x"]));

    [Fact]
    public void A_command_line_quotes_each_word_on_its_own() =>
        Assert.Equal(
            "\"/opt/my apps/riverrun\" host --config \"/etc/river run/host.toml\"",
            UnitSyntax.CommandLine(["/opt/my apps/riverrun", "host", "--config", "/etc/river run/host.toml"]));

    [Theory]
    [InlineData("gpu0")]
    [InlineData("a")]
    [InlineData("numa_1-b")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public void Valid_instance_names_pass(string instance) => Assert.Null(UnitSyntax.ValidateInstance(instance));

    [Theory]
    [InlineData("", "instance name is empty")]
    [InlineData("-gpu", "instance name '-gpu' starts with '-'")]
    [InlineData("gpu.0", "instance name 'gpu.0' contains '.'")]
    [InlineData("gpu/0", "instance name 'gpu/0' contains '/'")]
    [InlineData("gpu@0", "instance name 'gpu@0' contains '@'")]
    [InlineData("gpu%i", "instance name 'gpu%i' contains '%'")]
    [InlineData("gpu\n0", "instance name 'gpu\\x0a0' contains '\\x0a'")]
    [InlineData("0123456789abcdef0123456789abcdefX", "instance name '0123456789abcdef0123456789abcdefX' has 33 characters")]
    public void Invalid_instance_names_say_what_is_wrong_and_the_rule(string instance, string start)
    {
        var problem = UnitSyntax.ValidateInstance(instance);

        Assert.NotNull(problem);
        Assert.StartsWith(start, problem, StringComparison.Ordinal);
        Assert.EndsWith(UnitSyntax.InstanceRule, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notify-admin.service")]
    [InlineData("failure-mail@%n.service")]
    [InlineData("rescue.target")]
    public void Valid_on_failure_units_pass(string unit) => Assert.Null(UnitSyntax.ValidateUnitName(unit));

    [Theory]
    [InlineData("notify-admin", "does not end with a unit type")]
    [InlineData("notify admin.service", "contains ' '")]
    [InlineData("a.service;rm", "contains ';'")]
    [InlineData(".service", "does not end with a unit type")]
    [InlineData("x.unknown", "does not end with a unit type")]
    public void Invalid_on_failure_units_say_what_is_wrong(string unit, string part)
    {
        var problem = UnitSyntax.ValidateUnitName(unit);

        Assert.NotNull(problem);
        Assert.Contains(part, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_cannot_listen_on_port_zero()
    {
        var ex = Assert.Throws<ArgumentException>(() => UnitSyntax.ListenStream(IPEndPoint.Parse("127.0.0.1:0")));

        Assert.Contains("port 0", ex.Message, StringComparison.Ordinal);
    }
}
