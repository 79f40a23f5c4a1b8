using RiverRun.Configuration;
using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Tests;

public sealed class RunnerConfigurationTests : IDisposable
{
    private static readonly NodeInventory Machine = new()
    {
        Hostname = "node2",
        LogicalCores = 16,
        MemoryBytes = 64L << 30,
        SystemdVersion = 252,
        CgroupVersion = 1,
    };

    private static readonly Func<string, string?> NoEnvironment = _ => null;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string RunnerToml => _directory.Combine("runner.toml");

    [Fact]
    public void An_empty_file_and_no_variables_or_flags_leave_the_defaults()
    {
        Write("runner.toml", "\n");

        var options = RunnerConfiguration.Load(RunnerToml, null, NoEnvironment);

        Assert.Equal(new RunnerOptions().HostUrl, options.HostUrl);
        Assert.Equal(new RunnerOptions().StateDirectory, options.StateDirectory);
        Assert.Equal((null, null, null, null), (options.Name, options.Cores, options.MemoryBytes, options.Instance));
    }

    [Fact]
    public void The_file_beats_the_default()
    {
        Write("runner.toml", "host = \"head:8700\"\nname = \"n1\"\ncores = 3.5\nmemory = \"12G\"\nstate_dir = \"/srv/state\"\n");

        var options = RunnerConfiguration.Load(RunnerToml, null, NoEnvironment);

        Assert.Equal(new Uri("http://head:8700"), options.HostUrl);
        Assert.Equal(("n1", 3.5, 12L << 30, "/srv/state"), (options.Name, options.Cores, options.MemoryBytes, options.StateDirectory));
        Assert.Equal($"{RunnerToml}:3: cores", options.Origins.Name(RunnerSettings.Cores));
    }

    [Fact]
    public void A_variable_beats_the_file()
    {
        Write("runner.toml", "host = \"http://head:8700\"\ncores = 2\nmemory = \"1G\"\n");
        var environment = new Dictionary<string, string> { ["RIVERRUN_HOST"] = "http://other:9700", ["RIVERRUN_CORES"] = "0.5" };

        var options = RunnerConfiguration.Load(RunnerToml, null, environment.GetValueOrDefault);

        Assert.Equal(new Uri("http://other:9700"), options.HostUrl);
        Assert.Equal(0.5, options.Cores);
        Assert.Equal(1L << 30, options.MemoryBytes);
        Assert.Equal("RIVERRUN_CORES", options.Origins.Name(RunnerSettings.Cores));
    }

    [Fact]
    public void A_flag_beats_the_variable_and_the_file()
    {
        Write("runner.toml", "cores = 2\nname = \"from-file\"\n");
        var environment = new Dictionary<string, string> { ["RIVERRUN_CORES"] = "4" };

        var options = RunnerConfiguration.Load(RunnerToml, null, environment.GetValueOrDefault, new Dictionary<string, string> { ["cores"] = "6" });

        Assert.Equal(6, options.Cores);
        Assert.Equal("from-file", options.Name);
        Assert.Equal("--cores", options.Origins.Name(RunnerSettings.Cores));
    }

    [Fact]
    public void An_instance_file_is_layered_over_runner_toml()
    {
        Write("runner.toml", "host = \"http://head:8700\"\ncores = 8\nmemory = \"32G\"\n");
        Write("runner-gpu0.toml", "cores = 4\n");

        var options = RunnerConfiguration.Load(RunnerToml, "gpu0", NoEnvironment);

        Assert.Equal(4, options.Cores);
        Assert.Equal(32L << 30, options.MemoryBytes);
        Assert.Equal(new Uri("http://head:8700"), options.HostUrl);
        Assert.Equal($"{_directory.Combine("runner-gpu0.toml")}:1: cores", options.Origins.Name(RunnerSettings.Cores));
    }

    [Fact]
    public void An_instance_is_named_after_the_hostname_with_its_instance_and_gets_its_own_state_directory_and_slice()
    {
        Write("runner.toml", "\n");
        Write("runner-gpu0.toml", "cores = 4\n");
        var main = RunnerProfile.Resolve(RunnerConfiguration.Load(RunnerToml, null, NoEnvironment), Machine);

        var instance = RunnerProfile.Resolve(RunnerConfiguration.Load(RunnerToml, "gpu0", NoEnvironment), Machine);

        Assert.Equal("node2-gpu0", instance.Name);
        Assert.Equal("/var/lib/riverrun-runner/node2-gpu0", instance.StateDirectory);
        Assert.Equal("riverrun-node2\\x2dgpu0.slice", instance.Slice);
        Assert.NotEqual(main.StateDirectory, instance.StateDirectory);
        Assert.NotEqual(main.Slice, instance.Slice);
    }

    [Fact]
    public void A_name_shared_by_the_machines_Runners_gets_the_instance_appended()
    {
        Write("runner.toml", "name = \"box\"\n");
        Write("runner-a.toml", "\n");
        Write("runner-b.toml", "\n");

        var fromFile = RunnerConfiguration.Load(RunnerToml, "a", NoEnvironment);
        var fromVariable = RunnerConfiguration.Load(RunnerToml, "b", name => name == "RIVERRUN_NAME" ? "shared" : null);

        Assert.Equal("box-a", fromFile.Name);
        Assert.Equal("shared-b", fromVariable.Name);
    }

    [Fact]
    public void A_name_of_the_instances_own_file_or_flag_is_taken_as_it_is()
    {
        Write("runner.toml", "name = \"box\"\n");
        Write("runner-a.toml", "name = \"special\"\n");

        var fromInstanceFile = RunnerConfiguration.Load(RunnerToml, "a", NoEnvironment);
        var fromFlag = RunnerConfiguration.Load(RunnerToml, "a", NoEnvironment, new Dictionary<string, string> { ["name"] = "exact" });

        Assert.Equal("special", fromInstanceFile.Name);
        Assert.Equal("exact", fromFlag.Name);
    }

    [Fact]
    public void An_instance_without_its_file_is_refused_with_how_to_write_it()
    {
        Write("runner.toml", "\n");

        var error = Assert.Throws<ConfigurationException>(() => RunnerConfiguration.Load(RunnerToml, "gpu1", NoEnvironment));

        var path = _directory.Combine("runner-gpu1.toml");
        Assert.Equal($"{path}: no such file; write one with its share of the machine: riverrun init config --runner --instance gpu1 --output {path}", error.Message);
    }

    [Theory]
    [InlineData("gpu.0", "--instance: instance 'gpu.0' contains '.'; use 1 to 32 letters, digits, '-' or '_', e.g. gpu0")]
    [InlineData("../etc", "--instance: instance '../etc' contains '.'; use 1 to 32 letters, digits, '-' or '_', e.g. gpu0")]
    [InlineData("", "--instance: the instance name is empty; use 1 to 32 letters, digits, '-' or '_', e.g. gpu0")]
    public void A_bad_instance_name_is_refused_before_any_file_is_read(string instance, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => RunnerConfiguration.Load(RunnerToml, instance, NoEnvironment));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_bad_value_in_the_instance_file_names_that_file_and_the_validator_names_it_too()
    {
        Write("runner.toml", "state_dir = \"relative/dir\"\n");
        Write("runner-a.toml", "\nmemory = \"lots\"\n");

        var error = Assert.Throws<ConfigurationException>(() => RunnerConfiguration.Load(RunnerToml, "a", NoEnvironment));
        Write("runner-a.toml", "\n");
        var failures = new RunnerOptionsValidator().Validate(null, RunnerConfiguration.Load(RunnerToml, "a", NoEnvironment)).Failures;

        Assert.StartsWith($"{_directory.Combine("runner-a.toml")}:2: memory: size 'lots'", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{RunnerToml}:1: state_dir: 'relative/dir' must be an absolute path, e.g. /var/lib/riverrun-runner", Assert.Single(failures!));
    }

    [Fact]
    public void The_written_templates_uncommented_give_exactly_the_defaults_and_their_examples_are_valid()
    {
        Write("runner.toml", Uncomment(RunnerConfiguration.Template(), withExamples: false));
        var defaults = RunnerConfiguration.Load(RunnerToml, null, NoEnvironment);
        Write("runner.toml", Uncomment(RunnerConfiguration.Template(), withExamples: true));
        Write("runner-gpu0.toml", Uncomment(RunnerConfiguration.Template("gpu0"), withExamples: true));
        var examples = RunnerConfiguration.Load(RunnerToml, "gpu0", NoEnvironment);

        Assert.Equal(new RunnerOptions().HostUrl, defaults.HostUrl);
        Assert.Equal(new RunnerOptions().StateDirectory, defaults.StateDirectory);
        Assert.Equal((null, null, null), (defaults.Name, defaults.Cores, defaults.MemoryBytes));
        Assert.Equal(SettingLayer.File, defaults.Origins.Of(RunnerSettings.StateDirectory)?.Layer);
        Assert.Equal(("node1", 8.0, 16L << 30), (examples.Name, examples.Cores, examples.MemoryBytes));
        Assert.Contains("# Default: <runner.toml's name, else the hostname>-gpu0. For example:", RunnerConfiguration.Template("gpu0"), StringComparison.Ordinal);
    }

    // "#key = value" lines are settings; "# text" lines are comments. Examples follow a "For example:" line.
    private static string Uncomment(string template, bool withExamples)
    {
        var lines = template.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var isSetting = lines[i].Length > 1 && lines[i][0] == '#' && lines[i][1] != ' ';
            var isExample = i > 0 && lines[i - 1].EndsWith("For example:", StringComparison.Ordinal);
            if (isSetting && (withExamples || !isExample))
            {
                lines[i] = lines[i][1..];
            }
        }

        return string.Join('\n', lines);
    }

    private void Write(string name, string text) => File.WriteAllText(_directory.Combine(name), text);
}
