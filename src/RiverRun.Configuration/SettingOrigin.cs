namespace RiverRun.Configuration;

/// <summary>Which layer a setting's value came from.</summary>
public enum SettingLayer
{
    /// <summary>The options class's own default.</summary>
    Default,

    /// <summary>A TOML file.</summary>
    File,

    /// <summary>A RIVERRUN_* environment variable.</summary>
    Environment,

    /// <summary>A command-line flag.</summary>
    Flag,
}

/// <summary>Where one setting's value came from, and how to name it in a message.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Name">"--cores", "RIVERRUN_CORES" or "/etc/riverrun/runner.toml:4: cores".</param>
/// <param name="FilePath">The file, for <see cref="SettingLayer.File"/>.</param>
public sealed record SettingOrigin(SettingLayer Layer, string Name, string? FilePath = null);
