using RiverRun.Configuration;

namespace RiverRun.Host.Tests;

public sealed class HostConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void An_empty_file_and_no_variables_or_flags_leave_the_defaults()
    {
        var loaded = HostConfiguration.Load(Write("# nothing set\n"), _ => null);

        Assert.Equal(new HostOptions().Listen, loaded.Listen);
        Assert.Equal(new HostOptions().DataDirectory, loaded.DataDirectory);
        Assert.Equal(new HostOptions().NodeLostAfter, loaded.NodeLostAfter);
        Assert.Equal("--listen", loaded.Origins.Name(HostSettings.Listen));
    }

    [Fact]
    public void The_file_beats_the_default()
    {
        var file = Write("listen = \"0.0.0.0:9700\"\ndata_dir = \"/srv/rr\"\nnode_lost_after = \"30m\"\n");

        var options = HostConfiguration.Load(file, _ => null);

        Assert.Equal("0.0.0.0:9700", options.Listen);
        Assert.Equal("/srv/rr", options.DataDirectory);
        Assert.Equal(TimeSpan.FromMinutes(30), options.NodeLostAfter);
        Assert.Equal($"{file}:3: node_lost_after", options.Origins.Name(HostSettings.NodeLostAfter));
    }

    [Fact]
    public void A_variable_beats_the_file()
    {
        var file = Write("listen = \"0.0.0.0:9700\"\nnode_lost_after = \"30m\"\n");
        var environment = new Dictionary<string, string> { ["RIVERRUN_LISTEN"] = "127.0.0.1:9800", ["RIVERRUN_DATA_DIR"] = "/env/dir" };

        var options = HostConfiguration.Load(file, environment.GetValueOrDefault);

        Assert.Equal("127.0.0.1:9800", options.Listen);
        Assert.Equal("/env/dir", options.DataDirectory);
        Assert.Equal(TimeSpan.FromMinutes(30), options.NodeLostAfter);
        Assert.Equal("RIVERRUN_LISTEN", options.Origins.Name(HostSettings.Listen));
    }

    [Fact]
    public void A_flag_beats_the_variable_and_the_file()
    {
        var file = Write("node_lost_after = \"30m\"\nlisten = \"0.0.0.0:9700\"\n");
        var environment = new Dictionary<string, string> { ["RIVERRUN_NODE_LOST_AFTER"] = "1h" };

        var options = HostConfiguration.Load(file, environment.GetValueOrDefault, new Dictionary<string, string> { ["node_lost_after"] = "2h" });

        Assert.Equal(TimeSpan.FromHours(2), options.NodeLostAfter);
        Assert.Equal("0.0.0.0:9700", options.Listen);
        Assert.Equal("--node-lost-after", options.Origins.Name(HostSettings.NodeLostAfter));
    }

    [Fact]
    public void A_file_named_with_config_must_exist()
    {
        var path = _directory.Combine("absent.toml");

        var error = Assert.Throws<ConfigurationException>(() => HostConfiguration.Load(path, _ => null));

        Assert.Equal($"{path}: no such file; write one with: riverrun init config --host --output {path}", error.Message);
    }

    [Fact]
    public void A_value_the_validator_refuses_is_named_by_its_file_and_line()
    {
        var file = Write("\nnode_lost_after = \"1s\"\nlisten = \"nowhere\"\n");
        var options = HostConfiguration.Load(file, _ => null);

        var result = new HostOptionsValidator(TimeProvider.System).Validate(null, options);

        var failures = result.Failures!.ToList();
        Assert.Equal(2, failures.Count);
        Assert.StartsWith($"{file}:3: listen: listen address 'nowhere' is not ", failures[0], StringComparison.Ordinal);
        Assert.Equal($"{file}:2: node_lost_after: 1s is out of range; use 5s to 7d", failures[1]);
    }

    [Fact]
    public void The_written_template_sets_nothing_and_uncommented_gives_exactly_the_defaults()
    {
        var template = HostConfiguration.Template();
        var asWritten = HostConfiguration.Load(Write(template), _ => null);
        var uncommented = HostConfiguration.Load(Write(Uncomment(template)), _ => null);

        Assert.All(HostSettings.Table, setting => Assert.Contains($"\n#{setting.Key} = ", template, StringComparison.Ordinal));
        Assert.Null(asWritten.Origins.Of(HostSettings.Listen));
        Assert.All(HostSettings.Table, setting => Assert.Equal(SettingLayer.File, uncommented.Origins.Of(setting.Key)?.Layer));
        Assert.Equal(new HostOptions().Listen, uncommented.Listen);
        Assert.Equal(new HostOptions().DataDirectory, uncommented.DataDirectory);
        Assert.Equal(new HostOptions().NodeLostAfter, uncommented.NodeLostAfter);
    }

    private static string Uncomment(string template) =>
        string.Join('\n', template.Split('\n').Select(line => line.Length > 1 && line[0] == '#' && line[1] != ' ' ? line[1..] : line));

    private string Write(string text)
    {
        var path = _directory.Combine($"host-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, text);
        return path;
    }
}
