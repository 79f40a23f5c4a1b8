namespace RiverRun.Configuration.Tests;

public sealed class SettingsLoaderTests : IDisposable
{
    private static readonly SettingTable<Sample> Table = new(
    [
        Setting.Text<Sample>("listen", "ADDRESS", "Where", o => o.Listen, (o, v) => o.Listen = v),
        Setting.Duration<Sample>("node_lost_after", "How long", o => o.NodeLostAfter, (o, v) => o.NodeLostAfter = v),
        Setting.Cores<Sample>("cores", "Cores", o => o.Cores, (o, v) => o.Cores = v, "all", "8"),
        Setting.Size<Sample>("memory", "Memory", o => o.Memory, (o, v) => o.Memory = v, "all", "16G"),
    ]);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Flags_variables_and_files_are_derived_from_the_key()
    {
        var setting = Table.Find("node_lost_after")!;

        Assert.Equal("--node-lost-after", setting.Flag);
        Assert.Equal("RIVERRUN_NODE_LOST_AFTER", setting.EnvironmentVariable);
    }

    [Fact]
    public void Later_files_win_over_earlier_ones_and_keep_what_they_do_not_set()
    {
        var first = Write("base.toml", "cores = 4\nmemory = \"8G\"\n");
        var second = Write("instance.toml", "cores = 1.5\n");
        var options = new Sample();

        var origins = SettingsLoader.Load(Table, options, [new(first, false), new(second, false)], _ => null, new Dictionary<string, string>());

        Assert.Equal(1.5, options.Cores);
        Assert.Equal(8L << 30, options.Memory);
        Assert.Equal($"{second}:1: cores", origins.Name("cores"));
        Assert.Equal($"{first}:2: memory", origins.Name("memory"));
        Assert.Equal("--listen", origins.Name("listen"));
        Assert.Null(origins.Of("listen"));
    }

    [Fact]
    public void A_bad_value_in_a_file_names_the_file_line_and_key_in_the_order_of_the_table()
    {
        var file = Write("s.toml", "\ncores = -1\nnode_lost_after = \"soon\"\n");

        var error = Assert.Throws<ConfigurationException>(() =>
            SettingsLoader.Load(Table, new Sample(), [new(file, false)], _ => null, new Dictionary<string, string>()));

        var lines = error.Message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{file}:3: node_lost_after: duration 'soon' is not a number with a unit", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:2: cores: cores '-1' must be greater than 0", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_variable_is_named_by_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            SettingsLoader.Load(Table, new Sample(), [], name => name == "RIVERRUN_MEMORY" ? "12Q" : null, new Dictionary<string, string>()));

        Assert.StartsWith("RIVERRUN_MEMORY: size '12Q' has an unknown unit 'Q'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_variable_counts_as_unset()
    {
        var options = new Sample();

        SettingsLoader.Load(Table, options, [], name => name == "RIVERRUN_LISTEN" ? string.Empty : null, new Dictionary<string, string>());

        Assert.Equal(new Sample().Listen, options.Listen);
    }

    [Fact]
    public void The_file_writer_lists_every_setting_and_its_uncommented_defaults_read_back_as_the_defaults()
    {
        var text = ConfigFileWriter.Write(Table, new Sample(), ["header"]);
        var uncommented = string.Join('\n', text.Split('\n').Select(l => l.StartsWith("#listen", StringComparison.Ordinal) || l.StartsWith("#node_lost_after", StringComparison.Ordinal) ? l[1..] : l));
        var file = Write("written.toml", uncommented);
        var options = new Sample { Listen = "elsewhere", NodeLostAfter = TimeSpan.FromDays(1) };

        var origins = SettingsLoader.Load(Table, options, [new(file, false)], _ => null, new Dictionary<string, string>());

        Assert.StartsWith("# header\n", text, StringComparison.Ordinal);
        Assert.Equal(new Sample().Listen, options.Listen);
        Assert.Equal(new Sample().NodeLostAfter, options.NodeLostAfter);
        Assert.Equal(SettingLayer.File, origins.Of("listen")?.Layer);
        Assert.Contains("# Default: all. For example:\n#cores = 8\n", text, StringComparison.Ordinal);
        Assert.Contains("#memory = \"16G\"\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a \"quoted\" \\ path", "\"a \\\"quoted\\\" \\\\ path\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    public void Strings_are_written_as_toml_basic_strings(string value, string literal) => Assert.Equal(literal, TomlText.Quote(value));

    private string Write(string name, string text)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private sealed class Sample
    {
        public string Listen { get; set; } = "127.0.0.1:8700";

        public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);

        public double? Cores { get; set; }

        public long? Memory { get; set; }
    }
}
