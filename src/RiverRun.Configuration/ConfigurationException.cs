namespace RiverRun.Configuration;

/// <summary>
/// A configuration file, variable or flag is unusable. The message has one problem per line, each
/// naming where the value came from ("/etc/riverrun/runner.toml:4: cores: ...", "RIVERRUN_CORES: ...",
/// "--cores: ..."), so the operator knows what to change. Services exit 2 on it without starting.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
        : this("the configuration is invalid")
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>One exception for every problem found, in the order found.</summary>
    public static ConfigurationException For(IReadOnlyCollection<string> problems) => new(string.Join('\n', problems));
}
