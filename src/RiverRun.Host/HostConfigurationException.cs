namespace RiverRun.Host;

/// <summary>The Host's options are unusable; the message says which and why, one problem per line.</summary>
public sealed class HostConfigurationException : Exception
{
    public HostConfigurationException()
        : this("the Host's configuration is invalid")
    {
    }

    public HostConfigurationException(string message)
        : base(message)
    {
    }

    public HostConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
