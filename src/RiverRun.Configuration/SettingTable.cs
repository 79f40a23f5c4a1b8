using System.Collections;

namespace RiverRun.Configuration;

/// <summary>
/// Every setting of one service, in the order --help and generated files list them. The one place
/// to add a setting: a line in the service's table (HostSettings, RunnerSettings) gives it a file
/// key, an environment variable, a flag, help text and a line in <c>riverrun init config</c>.
/// </summary>
public sealed class SettingTable<TOptions> : IReadOnlyList<Setting<TOptions>>
{
    private readonly IReadOnlyList<Setting<TOptions>> _settings;
    private readonly Dictionary<string, Setting<TOptions>> _byKey;

    public SettingTable(IEnumerable<Setting<TOptions>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = [.. settings];
        _byKey = new(StringComparer.Ordinal);
        foreach (var setting in _settings)
        {
            if (!_byKey.TryAdd(setting.Key, setting))
            {
                throw new ArgumentException($"The setting '{setting.Key}' is in the table twice.", nameof(settings));
            }
        }
    }

    public int Count => _settings.Count;

    public Setting<TOptions> this[int index] => _settings[index];

    /// <summary>The setting with this file key, or null.</summary>
    public Setting<TOptions>? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>The keys a file may use and the TOML types each accepts, for <see cref="TomlConfigurationSource"/>.</summary>
    public IReadOnlyDictionary<string, TomlTypes> Schema => _settings.ToDictionary(s => s.Key, s => s.Accepts, StringComparer.Ordinal);

    public IEnumerator<Setting<TOptions>> GetEnumerator() => _settings.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
