using System.Security.Authentication;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// Thrown from the TLS handshake when the Host's certificate is refused (<see cref="HostCertificatePolicy"/>):
/// it travels inside the failed call's exception, so the message users see says why, not
/// only that "the remote certificate was rejected".
/// </summary>
public sealed class HostCertificateRefusedException : AuthenticationException
{
    public HostCertificateRefusedException()
    {
    }

    public HostCertificateRefusedException(string message)
        : base(message)
    {
    }

    public HostCertificateRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
