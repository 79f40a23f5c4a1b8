namespace RiverRun.Configuration;

/// <summary>The TOML value types a setting accepts in a file; anything else is reported as a wrong type.</summary>
// The members carry TOML's own names for its types (toml.io), which CA1720 takes for .NET type names.
#pragma warning disable CA1720
[Flags]
public enum TomlTypes
{
    None = 0,

    /// <summary>"text" (also '...', """...""").</summary>
    String = 1,

    /// <summary>8, 17179869184.</summary>
    Integer = 2,

    /// <summary>0.5, 3.5.</summary>
    Float = 4,

    /// <summary>true, false.</summary>
    Boolean = 8,
}
#pragma warning restore CA1720
