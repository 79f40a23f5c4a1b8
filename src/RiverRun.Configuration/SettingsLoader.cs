using Microsoft.Extensions.Configuration;

namespace RiverRun.Configuration;

/// <summary>
/// Layers a service's configuration with Microsoft.Extensions.Configuration — defaults (the
/// options class's initial values) &lt; files in order &lt; RIVERRUN_* variables &lt; flags — and
/// applies each setting's text to the options with the setting's own parser, naming the layer a
/// bad value came from. (The configuration binder is not used: it knows neither "16G" nor "10m".)
/// </summary>
public static class SettingsLoader
{
    /// <summary>
    /// Applies the configured values to <paramref name="options"/> (which holds the defaults) and
    /// returns where each came from.
    /// </summary>
    /// <param name="table">The service's settings.</param>
    /// <param name="options">The options to fill, holding the defaults.</param>
    /// <param name="files">Configuration files, lowest precedence first (runner.toml, then runner-gpu0.toml).</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="flags">Key → text of the flags the user gave.</param>
    /// <exception cref="ConfigurationException">A file is missing, unreadable or wrong, or a value is invalid; every problem is listed.</exception>
    public static SettingOrigins Load<T>(
        SettingTable<T> table, T options, IEnumerable<ConfigFile> files, Func<string, string?> environment, IReadOnlyDictionary<string, string> flags)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        var builder = new ConfigurationBuilder();
        foreach (var file in files)
        {
            builder.Add(new TomlConfigurationSource { Path = file.Path, Optional = file.Optional, MissingHint = file.MissingHint, Schema = table.Schema });
        }

        builder.Add(new EnvironmentSettingsSource
        {
            Variables = table.ToDictionary(s => s.Key, s => s.EnvironmentVariable, StringComparer.Ordinal),
            GetVariable = environment,
        });
        builder.Add(new FlagSettingsSource { Values = flags });
        var root = Build(builder);

        var origins = new Dictionary<string, SettingOrigin>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var setting in table)
        {
            if (root[setting.Key] is not { } text)
            {
                continue;
            }

            var origin = OriginOf(root, setting);
            origins[setting.Key] = origin;
            if (setting.Apply(options, text) is { } error)
            {
                problems.Add($"{origin.Name}: {error}");
            }
        }

        return problems.Count > 0 ? throw ConfigurationException.For(problems) : new SettingOrigins(origins);
    }

    private static IConfigurationRoot Build(ConfigurationBuilder builder)
    {
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex) when (ex.InnerException is ConfigurationException inner)
        {
            throw inner;
        }
    }

    // The last provider holding the key is the one whose value the root returned.
    private static SettingOrigin OriginOf<T>(IConfigurationRoot root, Setting<T> setting)
    {
        var provider = root.Providers.Reverse().First(p => p.TryGet(setting.Key, out _));
        return provider switch
        {
            FlagSettingsProvider => new SettingOrigin(SettingLayer.Flag, setting.Flag),
            EnvironmentSettingsProvider => new SettingOrigin(SettingLayer.Environment, setting.EnvironmentVariable),
            TomlConfigurationProvider file => new SettingOrigin(SettingLayer.File, file.Describe(setting.Key), file.Source.Path),
            _ => new SettingOrigin(SettingLayer.Default, setting.Flag),
        };
    }
}
