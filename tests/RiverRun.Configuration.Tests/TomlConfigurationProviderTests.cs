namespace RiverRun.Configuration.Tests;

public sealed class TomlConfigurationProviderTests : IDisposable
{
    private static readonly Dictionary<string, TomlTypes> Schema = new()
    {
        ["listen"] = TomlTypes.String,
        ["cores"] = TomlTypes.String | TomlTypes.Integer | TomlTypes.Float,
        ["memory"] = TomlTypes.String | TomlTypes.Integer,
        ["node_lost_after"] = TomlTypes.String,
    };

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Values_become_the_text_a_flag_would_carry_and_remember_their_line()
    {
        var provider = Load("""
            # a comment
            listen = "0.0.0.0:8700"
            cores = 0.5

            memory = 17179869184
            node_lost_after = '10m'   # literal string
            """);

        Assert.Equal("0.0.0.0:8700", Get(provider, "listen"));
        Assert.Equal("0.5", Get(provider, "cores"));
        Assert.Equal("17179869184", Get(provider, "memory"));
        Assert.Equal("10m", Get(provider, "node_lost_after"));
        Assert.Equal($"{_directory.Combine("service.toml")}:5: memory", provider.Describe("memory"));
        Assert.True(provider.FileExists);
    }

    [Fact]
    public void A_whole_number_stays_a_whole_number()
    {
        var provider = Load("cores = 8\n");

        Assert.Equal("8", Get(provider, "cores"));
    }

    [Fact]
    public void An_empty_file_sets_nothing()
    {
        var provider = Load("# only comments\n\n");

        Assert.Empty(provider.GetChildKeys([], null));
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("listen = \"127.0.0.1:8700\"\ncores = \n"));

        Assert.StartsWith($"{_directory.Combine("service.toml")}:2: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unterminated_string_is_a_syntax_error_on_its_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("\n\nlisten = \"127.0.0.1:8700\n"));

        Assert.StartsWith($"{_directory.Combine("service.toml")}:3: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_with_the_keys_there_are()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("listen = \"x\"\nport = 8700\n"));

        Assert.Equal($"{_directory.Combine("service.toml")}:2: port: unknown setting; the settings are: listen, cores, memory, node_lost_after", error.Message);
    }

    [Fact]
    public void A_key_written_like_its_flag_gets_the_right_spelling()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("node-lost-after = \"10m\"\n"));

        Assert.Equal($"{_directory.Combine("service.toml")}:1: node-lost-after: unknown setting; did you mean node_lost_after?", error.Message);
    }

    [Theory]
    [InlineData("listen = 8700", "listen: expected a string in quotes, not an integer")]
    [InlineData("cores = true", "cores: expected a number (e.g. 8 or 3.5) or a string in quotes, not true or false (without quotes)")]
    [InlineData("memory = 1.5", "memory: expected a string in quotes (e.g. \"16G\") or a whole number, not a number with a fraction")]
    [InlineData("listen = [\"a\"]", "listen: expected a string in quotes, not a table, array or date")]
    public void A_value_of_the_wrong_type_names_the_key_and_what_it_takes(string line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("\n" + line + "\n"));

        Assert.Equal($"{_directory.Combine("service.toml")}:2: {message}", error.Message);
    }

    [Fact]
    public void Sections_and_dotted_keys_are_refused_settings_are_flat()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("a.b = 1\n[runner]\ncores = 2\n"));

        var lines = error.Message.Split('\n');
        Assert.True(lines.Length == 2, error.Message);
        Assert.Contains(lines, l => l.StartsWith($"{_directory.Combine("service.toml")}:2: [runner]: sections are not used", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{_directory.Combine("service.toml")}:1: a.b: dotted keys are not used", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_in_the_file_is_reported_at_once()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("listen = 1\nport = 2\ncores = \"4\"\nmemory = false\n"));

        var lines = error.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{_directory.Combine("service.toml")}:1: listen:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{_directory.Combine("service.toml")}:2: port:", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{_directory.Combine("service.toml")}:4: memory:", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_set_twice_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("cores = 1\ncores = 2\n"));

        Assert.StartsWith($"{_directory.Combine("service.toml")}:2: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_optional_file_sets_nothing()
    {
        var provider = new TomlConfigurationProvider(new TomlConfigurationSource { Path = _directory.Combine("absent.toml"), Schema = Schema, Optional = true });

        provider.Load();

        Assert.False(provider.FileExists);
        Assert.Empty(provider.GetChildKeys([], null));
    }

    [Fact]
    public void A_missing_required_file_is_an_error_saying_how_to_make_one()
    {
        var path = _directory.Combine("absent.toml");
        var provider = new TomlConfigurationProvider(new TomlConfigurationSource { Path = path, Schema = Schema, MissingHint = "write one with X" });

        var error = Assert.Throws<ConfigurationException>(provider.Load);

        Assert.Equal($"{path}: no such file; write one with X", error.Message);
    }

    private TomlConfigurationProvider Load(string text)
    {
        var path = _directory.Combine("service.toml");
        File.WriteAllText(path, text);
        var provider = new TomlConfigurationProvider(new TomlConfigurationSource { Path = path, Schema = Schema });
        provider.Load();
        return provider;
    }

    private static string? Get(TomlConfigurationProvider provider, string key) => provider.TryGet(key, out var value) ? value : null;
}
