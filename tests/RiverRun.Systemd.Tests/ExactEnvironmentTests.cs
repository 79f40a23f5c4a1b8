using CliWrap;

namespace RiverRun.Systemd.Tests;

[Collection(SharedProcessEnvironment.Name)]
public class ExactEnvironmentTests
{
    private static async Task<string[]> EnvironmentSeenBy(Command command) =>
        (await command.StartBuffered(CancellationToken.None)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task A_variable_of_the_calling_process_does_not_reach_the_program_only_the_given_ones_do()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TOKEN", "runner-secret");
        Environment.SetEnvironmentVariable("RIVERRUN_TEST_LEAK", "must-not-leak");

        var seen = await EnvironmentSeenBy(Commands.Wrap("/usr/bin/env").WithExactEnvironment(new Dictionary<string, string> { ["ONLY"] = "this", ["EMPTY"] = "" }));

        Assert.Equal(["EMPTY=", "ONLY=this"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_empty_environment_gives_the_program_no_variables_at_all()
    {
        var seen = await EnvironmentSeenBy(Commands.Wrap("/usr/bin/env").WithExactEnvironment(new Dictionary<string, string>()));

        Assert.Empty(seen);
    }

    [Fact]
    public async Task A_given_variable_replaces_an_inherited_one_of_the_same_name_and_names_are_case_sensitive()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TEST_CASE", "inherited");

        var seen = await EnvironmentSeenBy(Commands.Wrap("/usr/bin/env").WithExactEnvironment(new Dictionary<string, string>
        {
            ["PATH"] = "/given",
            ["riverrun_test_case"] = "lower",
        }));

        Assert.Equal(["PATH=/given", "riverrun_test_case=lower"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Values_with_newlines_equals_signs_and_dollars_arrive_unchanged()
    {
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "printf '%s' \"$V\""])
            .WithExactEnvironment(new Dictionary<string, string> { ["V"] = "a=b\n$HOME 'q' \"d\"" })
            .StartBuffered(CancellationToken.None);

        Assert.Equal("a=b\n$HOME 'q' \"d\"", result.StandardOutput);
    }

    [Fact]
    public async Task Without_an_exact_environment_a_helper_inherits_the_callers_environment()
    {
        // systemctl and getent need the Runner's PATH, locale and so on.
        Environment.SetEnvironmentVariable("RIVERRUN_TEST_INHERITED", "yes");

        var seen = await EnvironmentSeenBy(Commands.Wrap("/usr/bin/env"));

        Assert.Contains("RIVERRUN_TEST_INHERITED=yes", seen);
    }

    [Fact]
    public void The_original_command_keeps_its_environment()
    {
        var original = Commands.Wrap("/usr/bin/env");

        var exact = original.WithExactEnvironment(new Dictionary<string, string> { ["ONLY"] = "this" });

        Assert.Empty(original.EnvironmentVariables);
        Assert.Equal("this", exact.EnvironmentVariables["ONLY"]);
    }

    [Theory]
    [InlineData("A=B")]
    [InlineData("")]
    [InlineData("NUL\0")]
    public void A_name_the_environment_block_cannot_carry_is_refused(string name)
    {
        var command = Commands.Wrap("/usr/bin/env");

        Assert.Throws<ArgumentException>(() => command.WithExactEnvironment(new Dictionary<string, string> { [name] = "c" }));
    }

    [Fact]
    public void A_value_with_nul_is_refused_rather_than_truncated()
    {
        var command = Commands.Wrap("/usr/bin/env");

        Assert.Throws<ArgumentException>(() => command.WithExactEnvironment(new Dictionary<string, string> { ["A"] = "x\0y" }));
    }
}
