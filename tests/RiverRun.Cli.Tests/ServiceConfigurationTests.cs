using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests;

/// <summary><c>riverrun host</c> and <c>riverrun runner</c> with configuration files: a bad one stops them before they start.</summary>
public sealed class ServiceConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_host_file_with_errors_exits_2_naming_the_file_line_and_key_of_each()
    {
        var path = _directory.Combine("host.toml");
        await File.WriteAllTextAsync(path, "listen = \"127.0.0.1:0\"\nport = 8700\nnode_lost_after = \"soon\"\n");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("host", "--config", path, "--data-dir", _directory.Combine("data"));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(
            [$"riverrun: invalid configuration: {path}:2: port: unknown setting; the settings are: listen, data_dir, http_listen, tls_cert, tls_key, insecure, node_lost_after"],
            cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(_directory.Combine("data")));
    }

    [Fact]
    public async Task A_bad_value_in_a_runner_file_exits_2_naming_the_file_line_and_key()
    {
        var path = _directory.Combine("runner.toml");
        await File.WriteAllTextAsync(path, "# share\ncores = -2\nmemory = \"12Q\"\n");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("runner", "--config", path);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(
            [$"riverrun: invalid configuration: {path}:2: cores: cores '-2' must be greater than 0", $"riverrun: invalid configuration: {path}:3: memory: size '12Q' has an unknown unit 'Q'"],
            cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("; ")[0]));
    }

    [Fact]
    public async Task A_config_file_that_was_named_but_is_missing_exits_2()
    {
        var path = _directory.Combine("absent.toml");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("runner", "--config", path);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith($"riverrun: invalid configuration: {path}: no such file; write one with: riverrun init config --runner --output {path}", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flag_wins_over_the_file_and_a_bad_variable_is_named()
    {
        var path = _directory.Combine("runner.toml");
        await File.WriteAllTextAsync(path, "cores = -2\n");
        var cli = new CliRun();
        cli.SetEnvironment("RIVERRUN_MEMORY", "huge");

        // --cores hides the file's bad cores; what is left wrong is the variable.
        var exitCode = await cli.RunAsync("runner", "--config", path, "--cores", "1");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("riverrun: invalid configuration: RIVERRUN_MEMORY: size 'huge'", cli.Stderr, StringComparison.Ordinal);
        Assert.Single(cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("riverrun: --instance: instance 'gpu 0' contains ' '", "runner", "--instance", "gpu 0")]
    [InlineData("riverrun: --cores: cores '-1' must be greater than 0", "runner", "--cores", "-1")]
    public async Task Bad_service_flags_exit_2_before_any_file_is_read(string message, params string[] args)
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync([.. args, "--config", _directory.Combine("absent.toml")]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith(message, cli.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host", "RIVERRUN_NODE_LOST_AFTER", "node_lost_after", "/etc/riverrun/host.toml", "riverrun init config --host")]
    [InlineData("runner", "RIVERRUN_STATE_DIR", "runner-NAME.toml", "/etc/riverrun/runner.toml", "--instance gpu0")]
    public async Task Help_teaches_the_precedence_the_file_and_an_example(string command, params string[] expected)
    {
        var cli = new CliRun();

        await cli.RunAsync(command, "--help");

        Assert.Contains("flag, else its RIVERRUN_* variable, else", cli.Stdout, StringComparison.Ordinal);
        Assert.All(expected, text => Assert.Contains(text, cli.Stdout, StringComparison.Ordinal));
    }
}
