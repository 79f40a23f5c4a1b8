using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests;

public class UsageErrorTests
{
    [Theory]
    [InlineData("riverrun: --memory: size '12Q' has an unknown unit 'Q'", "run", "--memory", "12Q", "--", "ls")]
    [InlineData("riverrun: --cores: cores '-1' must be greater than 0", "run", "--cores", "-1", "--", "ls")]
    [InlineData("riverrun: no command given; put the command to run after --", "run", "--cores", "1", "--")]
    [InlineData("riverrun: --timeout: duration '5x' has an unknown unit 'x'", "submit", "--timeout", "5x", "--", "ls")]
    [InlineData("riverrun: --target: target 'node1::' has no GPU after the last ':'", "submit", "--target", "node1::", "--", "ls")]
    [InlineData("riverrun: --env 'FOO' has no '='", "run", "--env", "FOO", "--", "ls")]
    [InlineData("riverrun: --follow follows one task, but 2 targets were given", "submit", "-f", "-t", "a", "-t", "b", "--", "ls")]
    [InlineData("riverrun: --kill-on-detach only applies with --follow", "submit", "--kill-on-detach", "--", "ls")]
    [InlineData("riverrun: task id 'abc' has 3 characters", "status", "abc")]
    [InlineData("riverrun: task id 'ABCDEFGHIJKL' contains 'A'", "kill", "t00000000001", "ABCDEFGHIJKL")]
    [InlineData("riverrun: --grace: duration 'soon' is not a number", "kill", "t00000000001", "--grace", "soon")]
    [InlineData("riverrun: --node-lost-after: duration 'soon' is not a number", "host", "--node-lost-after", "soon")]
    [InlineData("riverrun: --state: 'runnin' is not a task state; use one of QUEUED,", "list", "--state", "runnin")]
    [InlineData("riverrun: --limit must be at least 1", "list", "--limit", "0")]
    [InlineData("riverrun: no command given; see riverrun --help")]
    [InlineData("riverrun: Unrecognized command or argument 'frobnicate'", "frobnicate")]
    public async Task Bad_input_exits_2_with_one_line_and_sends_nothing(string message, params string[] args)
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(message, line, StringComparison.Ordinal);
        Assert.Equal(0, host.CallCount);
        Assert.Empty(cli.StdoutBytes);
    }

    [Fact]
    public async Task An_option_of_the_command_without_the_double_dash_gets_a_hint()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("run", "python", "-c", "print(1)");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("put the command after --", cli.Stderr, StringComparison.Ordinal);
    }
}
