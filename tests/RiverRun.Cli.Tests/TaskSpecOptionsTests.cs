using System.CommandLine;
using RiverRun.Cli.Commands;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class TaskSpecOptionsTests
{
    [Fact]
    public void Every_option_lands_in_its_field_of_the_submit_request()
    {
        var request = Build(
            "--target", "node1:0:1,2", "--cores", "1.5", "--memory", "4G", "--env", "A=1", "-e", "B=x=y",
            "--workdir", "/data", "--user", "alice", "--timeout", "1h30m", "--", "python", "-c", "print(1)");

        var target = Assert.Single(request.Targets);
        Assert.Equal("node1", target.Node);
        Assert.Equal(0, target.NumaNode);
        Assert.Equal([1, 2], target.Gpus);
        Assert.Equal(["python", "-c", "print(1)"], request.Spec.Argv);
        Assert.Equal(1.5, request.Spec.Resources.Cores);
        Assert.Equal(4L << 30, request.Spec.Resources.MemoryBytes);
        Assert.Equal("1", request.Spec.Env["A"]);
        Assert.Equal("x=y", request.Spec.Env["B"]);
        Assert.Equal("/data", request.Spec.WorkingDirectory);
        Assert.Equal("alice", request.Spec.User);
        Assert.Equal(TimeSpan.FromMinutes(90), request.Spec.Timeout.ToTimeSpan());
    }

    [Fact]
    public void Without_options_the_request_asks_for_no_limits_and_no_target()
    {
        var request = Build("--", "uname", "-a");

        Assert.Empty(request.Targets);
        Assert.Equal(0, request.Spec.Resources.Cores);
        Assert.Equal(0, request.Spec.Resources.MemoryBytes);
        Assert.Null(request.Spec.Timeout);
        Assert.Empty(request.Spec.Env);
        Assert.Equal(string.Empty, request.Spec.WorkingDirectory);
    }

    [Fact]
    public void Repeated_targets_make_one_selector_each_in_order_and_do_not_swallow_the_command()
    {
        var request = Build("-t", "node2", "--target", "node1::0", "echo", "hi");

        Assert.Equal(["node2", "node1"], request.Targets.Select(t => t.Node));
        Assert.False(request.Targets[1].HasNumaNode);
        Assert.Equal([0], request.Targets[1].Gpus);
        Assert.Equal(["echo", "hi"], request.Spec.Argv);
    }

    [Fact]
    public void Options_after_the_double_dash_belong_to_the_command()
    {
        var request = Build("--cores", "1", "--", "tool", "--cores", "8", "--memory", "12Q");

        Assert.Equal(1, request.Spec.Resources.Cores);
        Assert.Equal(["tool", "--cores", "8", "--memory", "12Q"], request.Spec.Argv);
    }

    [Theory]
    [InlineData("--memory 12Q -- ls", "--memory: size '12Q' has an unknown unit 'Q'")]
    [InlineData("--memory 0 -- ls", "--memory: size '0' is zero")]
    [InlineData("--cores -1 -- ls", "--cores: cores '-1' must be greater than 0")]
    [InlineData("--cores 0.001 -- ls", "--cores: cores '0.001' has more than two decimals")]
    [InlineData("--timeout 10 -- ls", "--timeout: duration '10' has a number without a unit")]
    public void A_malformed_value_is_a_parse_error_naming_the_option(string args, string message)
    {
        var (_, parseResult) = Parse(args.Split(' '));

        Assert.Contains(parseResult.Errors, error => error.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--", "no command given; put the command to run after --")]
    [InlineData("", "no command given")]
    [InlineData("--target node1:x -- ls", "--target: target 'node1:x': NUMA node 'x' is not a number")]
    [InlineData("--env NOEQUALS -- ls", "--env 'NOEQUALS' has no '='; write NAME=VALUE")]
    [InlineData("--env 1A=x -- ls", "--env: '1A' is not a valid environment variable name")]
    [InlineData("--env RIVERRUN_TASK_ID=x -- ls", "--env: 'RIVERRUN_TASK_ID' starts with RIVERRUN_")]
    [InlineData("--env A=1 --env A=2 -- ls", "--env A is given more than once")]
    [InlineData("--workdir relative/dir -- ls", "--workdir: 'relative/dir' is not an absolute path")]
    public void An_invalid_request_is_refused_before_anything_is_sent(string args, string message)
    {
        var (options, parseResult) = Parse(args.Length == 0 ? [] : args.Split(' '));
        Assert.Empty(parseResult.Errors);

        var error = Assert.Throws<CliException>(() => options.BuildRequest(parseResult));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static SubmitRequest Build(params string[] args)
    {
        var (options, parseResult) = Parse(args);
        Assert.Empty(parseResult.Errors);
        return options.BuildRequest(parseResult);
    }

    private static (TaskSpecOptions Options, ParseResult ParseResult) Parse(string[] args)
    {
        var command = new RootCommand();
        var options = new TaskSpecOptions(command);
        return (options, command.Parse(args));
    }
}
