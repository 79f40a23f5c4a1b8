using Microsoft.Extensions.Configuration;

namespace RiverRun.Configuration;

/// <summary>
/// A service's TOML configuration file as a layer of Microsoft.Extensions.Configuration. Only the
/// keys of <see cref="Schema"/> are allowed, at the top level, with the types it names; anything
/// else stops the load with the file, line and key (<see cref="TomlConfigurationProvider"/>).
/// </summary>
public sealed class TomlConfigurationSource : IConfigurationSource
{
    /// <summary>The file, e.g. /etc/riverrun/runner.toml.</summary>
    public required string Path { get; init; }

    /// <summary>The keys a file may set, with the TOML types each accepts.</summary>
    public required IReadOnlyDictionary<string, TomlTypes> Schema { get; init; }

    /// <summary>True for a default location: a missing file is no file. False when the user named it.</summary>
    public bool Optional { get; init; }

    /// <summary>Appended to the error for a missing required file: how to make one.</summary>
    public string? MissingHint { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new TomlConfigurationProvider(this);
}
