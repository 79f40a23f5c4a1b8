namespace RiverRun.Systemd;

/// <summary>
/// The launcher could not even run systemd-run: unknown user or group, unusable spool
/// directory, systemd-run missing. The task never started.
/// </summary>
public sealed class ScopeLaunchException : Exception
{
    public ScopeLaunchException()
    {
    }

    public ScopeLaunchException(string message)
        : base(message)
    {
    }

    public ScopeLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
