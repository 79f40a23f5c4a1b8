using Microsoft.Extensions.Configuration;

namespace RiverRun.Configuration;

/// <summary>
/// The flags given on the command line, already parsed by the command (System.CommandLine), as the
/// top configuration layer. Only flags the user typed are here: a flag's default must not hide the
/// file or the environment.
/// </summary>
public sealed class FlagSettingsSource : IConfigurationSource
{
    /// <summary>Setting key → the flag's text, e.g. cores → "0.5".</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new FlagSettingsProvider(this);
}

/// <summary>Loads <see cref="FlagSettingsSource"/>.</summary>
public sealed class FlagSettingsProvider(FlagSettingsSource source) : ConfigurationProvider
{
    public FlagSettingsSource Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    public override void Load() =>
        Data = Source.Values.ToDictionary(pair => pair.Key, pair => (string?)pair.Value, StringComparer.OrdinalIgnoreCase);
}
