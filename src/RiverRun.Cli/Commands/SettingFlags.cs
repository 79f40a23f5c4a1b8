using System.CommandLine;
using RiverRun.Configuration;

namespace RiverRun.Cli.Commands;

/// <summary>
/// The flags of a service command, made from its settings table (<see cref="SettingTable{TOptions}"/>):
/// one option per setting, checked with the setting's own parser as it is parsed, with no default
/// value of its own — a flag only counts when typed, so it never hides the file or the environment.
/// </summary>
public static class SettingFlags
{
    /// <summary>
    /// Adds an option for every setting of <paramref name="table"/> to <paramref name="command"/>,
    /// except those in <paramref name="existing"/> (a global option that already is the flag, like
    /// --host). Returns every setting's option by key.
    /// </summary>
    public static IReadOnlyDictionary<string, Option<string?>> Add<T>(Command command, SettingTable<T> table, T defaults, IReadOnlyDictionary<string, Option<string?>>? existing = null)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(table);
        var options = new Dictionary<string, Option<string?>>(StringComparer.Ordinal);
        foreach (var setting in table)
        {
            if (existing?.GetValueOrDefault(setting.Key) is { } given)
            {
                options[setting.Key] = given;
                continue;
            }

            var option = new Option<string?>(setting.Flag)
            {
                Description = $"{setting.Description} ({setting.EnvironmentVariable}; {setting.Key} in the file) [default: {setting.DefaultText(defaults)}]",
                HelpName = setting.HelpName,
                // A switch's flag alone means true; "--insecure false" still reads its value.
                Arity = setting.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            option.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (setting.Apply(new T(), token.Value) is { } error)
                    {
                        result.AddError($"{setting.Flag}: {error}");
                    }
                }
            });
            command.Options.Add(option);
            options[setting.Key] = option;
        }

        return options;
    }

    /// <summary>The flags the user gave, as setting key → text, for the top configuration layer.</summary>
    public static IReadOnlyDictionary<string, string> Given(ParseResult parseResult, IReadOnlyDictionary<string, Option<string?>> options)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(options);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, option) in options)
        {
            if (parseResult.GetValue(option) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                given[key] = text;
            }
            else if (option.Arity.MinimumNumberOfValues == 0 && parseResult.GetResult(option) is { Implicit: false })
            {
                // A switch typed without a value.
                given[key] = "true";
            }
        }

        return given;
    }

    /// <summary>A configuration problem as the CLI reports it: exit 2, one problem per line.</summary>
    public static CliException ToUsageError(ConfigurationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return CliException.Usage("invalid configuration: " + exception.Message.Replace("\n", "\nriverrun: invalid configuration: ", StringComparison.Ordinal));
    }
}
