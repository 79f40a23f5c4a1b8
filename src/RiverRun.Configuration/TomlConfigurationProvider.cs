using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace RiverRun.Configuration;

/// <summary>
/// Reads a <see cref="TomlConfigurationSource"/> with Tomlyn's syntax parser, which keeps every
/// key's line. Values become the text the matching flag would take ("16G", "0.5", "10m"), so one
/// parser per setting serves the file, the environment and the command line alike. Every problem
/// in the file is reported at once, each as "FILE:LINE: KEY: what is wrong".
/// </summary>
public sealed class TomlConfigurationProvider : ConfigurationProvider
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    public TomlConfigurationProvider(TomlConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
    }

    public TomlConfigurationSource Source { get; }

    /// <summary>Whether the file existed when loaded (a missing optional file sets nothing).</summary>
    public bool FileExists { get; private set; }

    /// <summary>Where <paramref name="key"/> was set: "/etc/riverrun/runner.toml:4: cores".</summary>
    public string Describe(string key) =>
        _lines.TryGetValue(key, out var line) ? $"{Source.Path}:{line.ToString(CultureInfo.InvariantCulture)}: {key}" : $"{Source.Path}: {key}";

    public override void Load()
    {
        _lines.Clear();
        Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string text;
        try
        {
            text = File.ReadAllText(Source.Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            if (Source.Optional)
            {
                FileExists = false;
                return;
            }

            throw new ConfigurationException($"{Source.Path}: no such file{(Source.MissingHint is null ? string.Empty : "; " + Source.MissingHint)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{Source.Path}: cannot be read: {ex.Message}");
        }

        FileExists = true;
        var problems = new List<string>();
        var values = Read(text, problems);
        if (problems.Count > 0)
        {
            throw ConfigurationException.For(problems);
        }

        foreach (var (key, (value, line)) in values)
        {
            Data[key] = value;
            _lines[key] = line;
        }
    }

    private Dictionary<string, (string Value, int Line)> Read(string text, List<string> problems)
    {
        var values = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, Source.Path, validate: true);
        }
        catch (ArgumentException ex)
        {
            // Tomlyn throws instead of reporting some malformed escapes (\U0000D800: a surrogate),
            // found by the fuzz tests; it is still just a syntax error in the file.
            problems.Add($"{Source.Path}: is not valid TOML ({ex.Message.Split(" (Parameter", 2)[0]}); check the escapes (\\u, \\U) in its strings");
            return values;
        }

        foreach (var diagnostic in document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error))
        {
            problems.Add($"{At(diagnostic.Span.Start)}: {diagnostic.Message}");
        }

        if (problems.Count > 0)
        {
            // A file that is not TOML: the syntax errors are what to fix first.
            return values;
        }

        foreach (var table in document.Tables)
        {
            problems.Add($"{At(table.Span.Start)}: [{table.Name}]: sections are not used; write every setting at the top of the file as key = value");
        }

        foreach (var keyValue in document.KeyValues)
        {
            var at = At(keyValue.Span.Start);
            var key = KeyText(keyValue.Key);
            if (key is null || keyValue.Key?.DotKeys.ChildrenCount > 0)
            {
                problems.Add($"{at}: {keyValue.Key?.ToString().Trim()}: dotted keys are not used; write key = value with one of: {Known()}");
                continue;
            }

            if (!Source.Schema.TryGetValue(key, out var accepts))
            {
                var hint = Source.Schema.Keys.FirstOrDefault(k => string.Equals(k, key.Replace('-', '_'), StringComparison.OrdinalIgnoreCase));
                problems.Add(hint is null
                    ? $"{at}: {key}: unknown setting; the settings are: {Known()}"
                    : $"{at}: {key}: unknown setting; did you mean {hint}?");
                continue;
            }

            var (type, value) = ValueText(keyValue.Value);
            if (value is null || (accepts & type) == 0)
            {
                problems.Add($"{at}: {key}: expected {Describe(accepts)}, not {Describe(type)}");
                continue;
            }

            values[key] = (value, keyValue.Span.Start.Line + 1);
        }

        return values;
    }

    private string At(TextPosition position) => $"{Source.Path}:{(position.Line + 1).ToString(CultureInfo.InvariantCulture)}";

    private string Known() => string.Join(", ", Source.Schema.Keys);

    private static string? KeyText(KeySyntax? key) => key?.Key switch
    {
        BareKeySyntax bare => bare.Key?.Text,
        StringValueSyntax quoted => quoted.Value,
        _ => null,
    };

    // The value as the text a flag would carry: 0.5 stays "0.5", 8 stays "8", "16G" is 16G.
    private static (TomlTypes Type, string? Text) ValueText(ValueSyntax? value) => value switch
    {
        StringValueSyntax s => (TomlTypes.String, s.Value),
        IntegerValueSyntax i => (TomlTypes.Integer, i.Value.ToString(CultureInfo.InvariantCulture)),
        FloatValueSyntax f => (TomlTypes.Float, f.Value.ToString("R", CultureInfo.InvariantCulture)),
        BooleanValueSyntax b => (TomlTypes.Boolean, b.Value ? "true" : "false"),
        _ => (TomlTypes.None, null),
    };

    private static string Describe(TomlTypes types) => types switch
    {
        TomlTypes.None => "a table, array or date",
        TomlTypes.Boolean => "true or false (without quotes)",
        TomlTypes.String => "a string in quotes",
        TomlTypes.Integer => "an integer",
        TomlTypes.Float => "a number with a fraction",
        TomlTypes.String | TomlTypes.Integer => "a string in quotes (e.g. \"16G\") or a whole number",
        _ => "a number (e.g. 8 or 3.5) or a string in quotes",
    };
}
