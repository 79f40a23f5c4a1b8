using RiverRun.Configuration;

namespace RiverRun.Host;

/// <summary>
/// The Host's effective configuration: <see cref="HostOptions"/>' defaults, overridden by
/// host.toml, by RIVERRUN_* variables, by flags (<see cref="HostSettings"/> lists them).
/// <c>riverrun host</c> starts with it; other commands (e.g. <c>riverrun init service</c>, for the
/// socket unit's port) read the same values with <see cref="Load"/>.
/// </summary>
public static class HostConfiguration
{
    /// <summary>Where <c>riverrun host</c> looks for its file when no --config is given.</summary>
    public const string DefaultPath = "/etc/riverrun/host.toml";

    /// <summary>
    /// Loads the effective options. <paramref name="configPath"/> null means <see cref="DefaultPath"/>,
    /// which may be missing; a file the user named must exist.
    /// </summary>
    /// <param name="configPath">--config, or null.</param>
    /// <param name="environment">Reads a variable (Environment.GetEnvironmentVariable; <c>_ => null</c> to ignore the environment).</param>
    /// <param name="flags">Setting key → text of the flags given (none: an empty dictionary or null).</param>
    /// <exception cref="ConfigurationException">The file or a value is wrong; the message names the file, line and key, the variable or the flag.</exception>
    public static HostOptions Load(string? configPath, Func<string, string?> environment, IReadOnlyDictionary<string, string>? flags = null)
    {
        var options = new HostOptions();
        var file = new ConfigFile(configPath ?? DefaultPath, Optional: configPath is null, MissingHint: "write one with: riverrun init config --host --output " + (configPath ?? DefaultPath));
        options.Origins = SettingsLoader.Load(HostSettings.Table, options, [file], environment, flags ?? new Dictionary<string, string>());
        return options;
    }

    /// <summary>The commented file <c>riverrun init config --host</c> writes: every setting at its default, commented out.</summary>
    public static string Template() => ConfigFileWriter.Write(HostSettings.Table, new HostOptions(),
    [
        "Configuration of riverrun host, written by `riverrun init config --host`.",
        $"riverrun host reads {DefaultPath}, or the file given with --config.",
        "Every setting is shown at its default, commented out: remove the leading '#' to change it.",
        "Precedence: a command-line flag beats its RIVERRUN_* environment variable, which beats this",
        "file, which beats the default. Durations: 30s, 10m, 1h30m.",
    ]);
}
