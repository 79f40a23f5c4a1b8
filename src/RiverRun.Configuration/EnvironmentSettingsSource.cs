using Microsoft.Extensions.Configuration;

namespace RiverRun.Configuration;

/// <summary>
/// The RIVERRUN_* variables of a service's settings as a configuration layer. Reads exactly the
/// variables of its table through a lookup function (the process environment, or a test's), not
/// every RIVERRUN_ variable: RIVERRUN_TOKEN and friends are none of its business.
/// </summary>
public sealed class EnvironmentSettingsSource : IConfigurationSource
{
    /// <summary>Setting key → environment variable, e.g. cores → RIVERRUN_CORES.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>Reads one variable; null or empty means unset.</summary>
    public required Func<string, string?> GetVariable { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EnvironmentSettingsProvider(this);
}

/// <summary>Loads <see cref="EnvironmentSettingsSource"/>: one key per variable that is set and not empty.</summary>
public sealed class EnvironmentSettingsProvider(EnvironmentSettingsSource source) : ConfigurationProvider
{
    public EnvironmentSettingsSource Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    public override void Load()
    {
        Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, variable) in Source.Variables)
        {
            if (Source.GetVariable(variable) is { Length: > 0 } value)
            {
                Data[key] = value;
            }
        }
    }
}
