namespace RiverRun.Configuration.Tests;

/// <summary>On/off settings (<c>insecure</c>): a TOML boolean in the file, words in a variable, the flag alone.</summary>
public sealed class SwitchSettingTests : IDisposable
{
    private static readonly SettingTable<Sample> Table = new(
    [
        Setting.Switch<Sample>("insecure", "Whether", o => o.Insecure, (o, v) => o.Insecure = v),
    ]);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("insecure = true", true)]
    [InlineData("insecure = false", false)]
    public void A_file_gives_a_TOML_boolean(string line, bool expected)
    {
        var options = Load(line, _ => null);

        Assert.Equal(expected, options.Insecure);
    }

    [Fact]
    public void A_quoted_value_in_the_file_is_refused_naming_the_type_expected()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("insecure = \"yes\"", _ => null));

        Assert.EndsWith(":1: insecure: expected true or false (without quotes), not a string in quotes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    public void A_variable_takes_words_and_digits(string value, bool expected)
    {
        var options = Load(string.Empty, name => name == "RIVERRUN_INSECURE" ? value : null);

        Assert.Equal(expected, options.Insecure);
    }

    [Fact]
    public void Another_word_in_a_variable_is_refused_naming_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(string.Empty, name => name == "RIVERRUN_INSECURE" ? "maybe" : null));

        Assert.Equal("RIVERRUN_INSECURE: 'maybe' is not true or false", error.Message);
    }

    [Fact]
    public void It_is_written_unquoted_in_a_generated_file_and_its_flag_is_a_switch()
    {
        var text = ConfigFileWriter.Write(Table, new Sample(), ["header"]);

        Assert.Contains("#insecure = false\n", text, StringComparison.Ordinal);
        Assert.True(Table.Find("insecure")!.IsSwitch);
    }

    private Sample Load(string file, Func<string, string?> environment)
    {
        var path = Path.Join(_directory.Path, "s.toml");
        File.WriteAllText(path, file + "\n");
        var options = new Sample();
        SettingsLoader.Load(Table, options, [new(path, false)], environment, new Dictionary<string, string>());
        return options;
    }

    private sealed class Sample
    {
        public bool Insecure { get; set; }
    }
}
