namespace RiverRun.Contracts.Tls;

/// <summary>
/// A TLS file or setting that cannot be used (a CA file that is missing or holds no certificate,
/// a CA given for a cleartext address). The message names the file or setting, what is wrong with
/// it and how to fix it; callers print it as it is.
/// </summary>
public sealed class TlsSetupException : Exception
{
    public TlsSetupException()
    {
    }

    public TlsSetupException(string message)
        : base(message)
    {
    }

    public TlsSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
