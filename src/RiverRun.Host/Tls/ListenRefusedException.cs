namespace RiverRun.Host.Tls;

/// <summary>The Host must not listen where it was asked to (<see cref="ListenExposurePolicy"/>); the message says why and how to fix it.</summary>
public sealed class ListenRefusedException : Exception
{
    public ListenRefusedException()
    {
    }

    public ListenRefusedException(string message)
        : base(message)
    {
    }

    public ListenRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
