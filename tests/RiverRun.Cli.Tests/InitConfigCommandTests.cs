using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Host;
using RiverRun.Runner;

namespace RiverRun.Cli.Tests;

public sealed class InitConfigCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Init_config_host_writes_the_commented_file_and_says_where()
    {
        var path = _directory.Combine("etc", "riverrun", "host.toml");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "config", "--host", "--output", path);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal($"wrote {path}\n", cli.Stdout);
        Assert.Equal(HostConfiguration.Template(), await File.ReadAllTextAsync(path));
        Assert.Contains("#node_lost_after = \"10m\"\n", HostConfiguration.Template(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_written_host_file_uncommented_reads_back_as_exactly_the_defaults()
    {
        var path = _directory.Combine("host.toml");
        var cli = new CliRun();
        await cli.RunAsync("init", "config", "--host", "-o", path);
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, string.Join('\n', text.Split('\n').Select(l => l.StartsWith('#') && !l.StartsWith("# ", StringComparison.Ordinal) && l != "#" ? l[1..] : l)));

        var options = HostConfiguration.Load(path, _ => null);

        var defaults = new HostOptions();
        Assert.Equal((defaults.Listen, defaults.DataDirectory, defaults.NodeLostAfter), (options.Listen, options.DataDirectory, options.NodeLostAfter));
        Assert.All(HostSettings.Table, s => Assert.NotNull(options.Origins.Of(s.Key)));
    }

    [Fact]
    public async Task An_existing_file_is_not_overwritten_without_force()
    {
        var path = _directory.Combine("runner.toml");
        await File.WriteAllTextAsync(path, "cores = 2\n");
        var cli = new CliRun();

        var refused = await cli.RunAsync("init", "config", "--runner", "-o", path);

        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Equal($"riverrun: {path} exists; nothing was written. Edit it, or replace it with --force\n", cli.Stderr);
        Assert.Equal("cores = 2\n", await File.ReadAllTextAsync(path));

        var forced = await new CliRun().RunAsync("init", "config", "--runner", "-o", path, "--force");

        Assert.Equal(ExitCodes.Success, forced);
        Assert.Equal(RunnerConfiguration.Template(), await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task An_instance_file_goes_to_standard_output_with_a_dash()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "config", "--runner", "--instance", "gpu0", "--output", "-");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(RunnerConfiguration.Template("gpu0"), cli.Stdout);
        Assert.Contains("runner-gpu0.toml", cli.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("riverrun: give exactly one of --host or --runner, e.g. riverrun init config --runner (see riverrun init config --help)", "init", "config")]
    [InlineData("riverrun: give exactly one of --host or --runner", "init", "config", "--host", "--runner")]
    [InlineData("riverrun: --instance applies to --runner only", "init", "config", "--host", "--instance", "a")]
    [InlineData("riverrun: --instance: instance 'a/b' contains '/'", "init", "config", "--runner", "--instance", "a/b")]
    public async Task Bad_init_config_input_exits_2_and_writes_nothing(string message, params string[] args)
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync([.. args, "--output", _directory.Combine("out.toml")]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith(message, cli.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.Combine("out.toml")));
    }
}
