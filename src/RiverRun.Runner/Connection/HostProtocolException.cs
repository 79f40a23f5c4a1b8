namespace RiverRun.Runner.Connection;

/// <summary>The Host broke the Connect protocol (e.g. no Registered first); the Runner reconnects.</summary>
internal sealed class HostProtocolException : Exception
{
    public HostProtocolException()
    {
    }

    public HostProtocolException(string message)
        : base(message)
    {
    }

    public HostProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
