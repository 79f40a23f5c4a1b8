using CsCheck;

namespace RiverRun.Configuration.Tests;

/// <summary>
/// Fuzzing configuration files through the real loader (TOML parser, schema, each setting's
/// parser): 10,000 generated files, each applied or refused with a ConfigurationException.
/// </summary>
public sealed class ConfigFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 10_000;

    private static readonly SettingTable<Sample> Table = new(
    [
        Setting.Text<Sample>("listen", "ADDRESS", "Where", o => o.Listen, (o, v) => o.Listen = v),
        Setting.OptionalText<Sample>("name", "NAME", "Name", o => o.Name, (o, v) => o.Name = v, "the hostname", "node1"),
        Setting.Duration<Sample>("node_lost_after", "How long", o => o.NodeLostAfter, (o, v) => o.NodeLostAfter = v),
        Setting.Cores<Sample>("cores", "Cores", o => o.Cores, (o, v) => o.Cores = v, "all", "8"),
        Setting.Size<Sample>("memory", "Memory", o => o.Memory, (o, v) => o.Memory = v, "all", "16G"),
        Setting.HostAddress<Sample>("host", "Host", o => o.Host, (o, v) => o.Host = v),
    ]);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Any_config_file_is_applied_or_refused_with_a_configuration_error()
    {
        var key = Gen.Frequency(
            (8, Gen.OneOf("listen", "name", "node_lost_after", "node-lost-after", "cores", "memory", "host", "[runner]", "a.b")),
            (1, FuzzInputs.InterestingText));
        var value = Gen.Frequency(
            (4, FuzzInputs.Text("\"127.0.0.1:8700\"", "\"10m\"", "8", "1.5", "\"16G\"", "\"http://head:8700\"", "true", "[1, 2]", "{ a = 1 }", "\"\"")),
            (1, Gen.Double.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var line = Gen.Frequency(
            (8, Gen.Select(key, value, (k, v) => $"{k} = {v}")),
            (1, FuzzInputs.Text("# comment", "[section]", "", "key = \"unterminated")));
        // Written as UTF-8 with lone surrogates replaced, or as raw bytes that need not be UTF-8 at all.
        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        var file = Gen.Frequency(
            (8, line.Array[0, 6].Select(lines => utf8.GetBytes(string.Join('\n', lines) + "\n"))),
            (1, FuzzInputs.AnyText.Select(utf8.GetBytes)),
            (1, Gen.Byte.Array[0, 200]));
        var path = _directory.Combine("fuzz.toml");
        var count = 0;
        var applied = 0;

        file.Sample(
            text =>
            {
                count++;
                File.WriteAllBytes(path, text);
                try
                {
                    SettingsLoader.Load(Table, new Sample(), [new(path, false)], _ => null, new Dictionary<string, string>());
                    applied++;
                }
                catch (ConfigurationException ex)
                {
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                }
            },
            iter: Cases,
            threads: 1,
            // A failing file in full, so it can be turned into a test of its own.
            print: bytes => Convert.ToBase64String(bytes));

        output.WriteLine($"SettingsLoader.Load (TOML): {count} generated files, {applied} applied, the rest refused with a ConfigurationException");
        Assert.True(count >= Cases && applied > 0, $"{count} cases, {applied} applied");
    }

    private sealed class Sample
    {
        public string Listen { get; set; } = "127.0.0.1:8700";

        public string? Name { get; set; }

        public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);

        public double? Cores { get; set; }

        public long? Memory { get; set; }

        public Uri Host { get; set; } = new("http://127.0.0.1:8700");
    }
}
