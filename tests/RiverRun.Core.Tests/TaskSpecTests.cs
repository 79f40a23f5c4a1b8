namespace RiverRun.Core.Tests;

public class TaskSpecTests
{
    private static readonly TaskSpec Good = new()
    {
        Argv = ["python", "train.py", "--epochs", "3"],
        Env = new Dictionary<string, string> { ["CUDA_HOME"] = "/usr/local/cuda", ["_private"] = "" },
        WorkingDirectory = "/home/ada/project",
        User = "ada",
        Resources = new Resources(2, 4L << 30),
        Timeout = TimeSpan.FromHours(1),
    };

    [Fact]
    public void A_complete_sensible_spec_has_no_problems()
    {
        Assert.Empty(Good.Validate());
    }

    [Fact]
    public void A_spec_with_only_a_command_has_no_problems()
    {
        Assert.Empty(new TaskSpec { Argv = ["true"] }.Validate());
    }

    [Fact]
    public void Empty_argv_is_reported_on_argv()
    {
        var problem = Assert.Single((Good with { Argv = [] }).Validate());

        Assert.Equal("argv", problem.Field);
        Assert.Contains("at least the command", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_command_is_reported_on_argv_0()
    {
        var problem = Assert.Single((Good with { Argv = ["", "x"] }).Validate());

        Assert.Equal("argv[0]", problem.Field);
    }

    [Fact]
    public void A_nul_byte_in_an_argument_is_reported_on_that_argument()
    {
        var problem = Assert.Single((Good with { Argv = ["echo", "ok", "bad\0tail"] }).Validate());

        Assert.Equal("argv[2]", problem.Field);
        Assert.Contains("NUL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_arguments_after_the_command_are_allowed()
    {
        Assert.Empty((Good with { Argv = ["printf", ""] }).Validate());
    }

    [Theory]
    [InlineData("1ABC")]
    [InlineData("A-B")]
    [InlineData("A B")]
    [InlineData("A=B")]
    [InlineData("")]
    [InlineData("É")]
    [InlineData("A\0B")]
    public void Invalid_environment_names_are_reported_on_env(string name)
    {
        var spec = Good with { Env = new Dictionary<string, string> { [name] = "x" } };

        var problem = Assert.Single(spec.Validate());

        Assert.Equal("env", problem.Field);
        Assert.DoesNotContain("\0", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RIVERRUN_TASK_ID")]
    [InlineData("RIVERRUN_")]
    public void Environment_names_with_the_reserved_prefix_are_refused(string name)
    {
        var spec = Good with { Env = new Dictionary<string, string> { [name] = "x" } };

        var problem = Assert.Single(spec.Validate());

        Assert.Equal("env", problem.Field);
        Assert.Contains("reserved", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lowercase_name_resembling_the_reserved_prefix_is_allowed()
    {
        var spec = Good with { Env = new Dictionary<string, string> { ["riverrun_mine"] = "x" } };

        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void A_nul_byte_in_an_environment_value_is_reported_on_that_variable()
    {
        var spec = Good with { Env = new Dictionary<string, string> { ["TOKEN"] = "a\0b" } };

        var problem = Assert.Single(spec.Validate());

        Assert.Equal("env[TOKEN]", problem.Field);
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("./here")]
    [InlineData("~/project")]
    [InlineData("/tmp/\0x")]
    public void A_working_directory_must_be_an_absolute_path(string directory)
    {
        var problem = Assert.Single((Good with { WorkingDirectory = directory }).Validate());

        Assert.Equal("working_directory", problem.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    public void No_working_directory_or_the_root_is_fine(string? directory)
    {
        Assert.Empty((Good with { WorkingDirectory = directory }).Validate());
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("_svc")]
    [InlineData("build-bot")]
    [InlineData("first.last")]
    [InlineData("machine$")]
    [InlineData("0")]
    [InlineData("1000")]
    [InlineData("4294967294")]
    [InlineData(null)]
    [InlineData("")]
    public void Posix_user_names_and_uids_are_accepted(string? user)
    {
        Assert.Empty((Good with { User = user }).Validate());
    }

    [Theory]
    [InlineData("-rf")]
    [InlineData("ada lovelace")]
    [InlineData("ada:staff")]
    [InlineData("a/b")]
    [InlineData("9lives")]
    [InlineData("$")]
    [InlineData("4294967295")]
    [InlineData("99999999999999999999")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg")]
    public void Other_users_are_reported_on_user(string user)
    {
        var problem = Assert.Single((Good with { User = user }).Validate());

        Assert.Equal("user", problem.Field);
    }

    [Fact]
    public void Negative_resources_are_reported_on_each_field()
    {
        var problems = (Good with { Resources = new Resources(-1, -1) }).Validate();

        Assert.Equal(["resources.cores", "resources.memory_bytes"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Contains("negative", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Zero_resources_mean_no_limit_and_are_fine()
    {
        Assert.Empty((Good with { Resources = Resources.None }).Validate());
    }

    [Theory]
    [InlineData(0.125)]
    [InlineData(5000)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Cores_that_no_cpu_quota_can_express_are_reported(double cores)
    {
        var problem = Assert.Single((Good with { Resources = new Resources(cores, 0) }).Validate());

        Assert.Equal("resources.cores", problem.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_timeout_that_is_given_must_be_positive(int seconds)
    {
        var problem = Assert.Single((Good with { Timeout = TimeSpan.FromSeconds(seconds) }).Validate());

        Assert.Equal("timeout", problem.Field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var spec = new TaskSpec
        {
            Argv = [""],
            Env = new Dictionary<string, string> { ["RIVERRUN_NODE"] = "x" },
            WorkingDirectory = "rel",
            User = "bad user",
            Resources = new Resources(-1, -1),
            Timeout = TimeSpan.Zero,
        };

        var fields = spec.Validate().Select(p => p.Field);

        Assert.Equal(
            ["argv[0]", "env", "working_directory", "user", "resources.cores", "resources.memory_bytes", "timeout"],
            fields);
    }

    [Fact]
    public void A_problem_prints_as_field_and_message()
    {
        Assert.Equal("user: is bad", new ValidationProblem("user", "is bad").ToString());
    }
}
