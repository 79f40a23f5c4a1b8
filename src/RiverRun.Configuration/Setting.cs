namespace RiverRun.Configuration;

/// <summary>
/// One setting of a service, in every form a user meets it: the key in the TOML file
/// (<c>node_lost_after</c>), the flag (<c>--node-lost-after</c>) and the environment variable
/// (<c>RIVERRUN_NODE_LOST_AFTER</c>), derived from the key so the three never drift apart; how its
/// text is parsed into the options; how its value is shown in --help and in the files
/// <c>riverrun init config</c> writes. Made with the factories of <see cref="Setting"/>.
/// </summary>
/// <typeparam name="TOptions">The options class the setting fills (HostOptions, RunnerOptions).</typeparam>
public sealed class Setting<TOptions>
{
    /// <summary>The key in the file, snake_case: "data_dir".</summary>
    public required string Key { get; init; }

    /// <summary>One line saying what it is, for --help and the file's comment.</summary>
    public required string Description { get; init; }

    /// <summary>The placeholder in --help: "DIR", "SIZE", "DURATION".</summary>
    public required string HelpName { get; init; }

    /// <summary>The TOML types the file may use for it.</summary>
    public required TomlTypes Accepts { get; init; }

    /// <summary>How it is written in a generated file: <see cref="TomlTypes.String"/> quotes the value.</summary>
    public required TomlTypes WrittenAs { get; init; }

    /// <summary>Parses the text (as typed, or a TOML value turned into text) into the options; returns why not, or null.</summary>
    public required Func<TOptions, string, string?> Apply { get; init; }

    /// <summary>The options' value in the setting's own syntax ("10m", "16G", "0.5"), or null when unset.</summary>
    public required Func<TOptions, string?> Format { get; init; }

    /// <summary>What applies when the setting is unset and has no value of its own ("the hostname").</summary>
    public string? UnsetMeans { get; init; }

    /// <summary>An example value in the setting's syntax, for settings whose default is <see cref="UnsetMeans"/>.</summary>
    public string? Example { get; init; }

    /// <summary>An on/off setting: its flag needs no value (<c>--insecure</c> alone means true).</summary>
    public bool IsSwitch { get; init; }

    /// <summary>The command-line flag: the key with '-' for '_'.</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The environment variable: RIVERRUN_ and the key in capitals.</summary>
    public string EnvironmentVariable => "RIVERRUN_" + Key.ToUpperInvariant();

    /// <summary>The default as shown to people: the value of <paramref name="defaults"/>, else what unset means.</summary>
    public string DefaultText(TOptions defaults) => Format(defaults) ?? UnsetMeans ?? "none";

    /// <summary>A value in the setting's syntax as a TOML literal: quoted when written as a string.</summary>
    public string ToTomlLiteral(string value) => WrittenAs == TomlTypes.String ? TomlText.Quote(value) : value;
}
