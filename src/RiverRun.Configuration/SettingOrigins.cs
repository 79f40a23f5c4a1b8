namespace RiverRun.Configuration;

/// <summary>
/// Where each setting of a loaded configuration came from, so that the checks made later (the
/// options validators at start) name the file and line or the variable the operator must change,
/// not only the flag. A setting that kept its default is named by its flag.
/// </summary>
public sealed class SettingOrigins
{
    private readonly IReadOnlyDictionary<string, SettingOrigin> _origins;

    public SettingOrigins(IReadOnlyDictionary<string, SettingOrigin> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        _origins = origins;
    }

    /// <summary>Nothing loaded: every setting is named by its flag (options built in code, tests).</summary>
    public static SettingOrigins None { get; } = new(new Dictionary<string, SettingOrigin>());

    /// <summary>Where <paramref name="key"/> came from, or null when it kept its default.</summary>
    public SettingOrigin? Of(string key) => _origins.GetValueOrDefault(key);

    /// <summary>
    /// How a message names the setting <paramref name="key"/>: "/etc/riverrun/runner.toml:4: cores",
    /// "RIVERRUN_CORES", or the flag ("--cores") when it came from the command line or kept its default.
    /// </summary>
    public string Name(string key) => Of(key)?.Name ?? "--" + key.Replace('_', '-');
}
