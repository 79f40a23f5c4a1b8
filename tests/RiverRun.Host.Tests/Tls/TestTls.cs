using System.Security.Cryptography.X509Certificates;
using RiverRun.Contracts.Tls;

namespace RiverRun.Host.Tests.Tls;

/// <summary>A CA and a Host certificate written as PEM files, as `riverrun init tls` would.</summary>
internal static class TestTls
{
    /// <summary>Writes DIR/host.crt and DIR/host.key (valid from <paramref name="now"/> for <paramref name="lifetime"/>); returns their paths.</summary>
    public static (string Certificate, string Key) Write(string directory, DateTimeOffset now, TimeSpan lifetime, string name = "head")
    {
        Directory.CreateDirectory(directory);
        using var ca = TlsCertificateFactory.CreateAuthority("test CA", now, TimeSpan.FromDays(3650));
        using X509Certificate2 host = TlsCertificateFactory.CreateHostCertificate(ca, [name], [], now, lifetime);
        var certificate = Path.Join(directory, "host.crt");
        var key = Path.Join(directory, "host.key");
        File.WriteAllText(certificate, TlsCertificateFactory.CertificatePem(host));
        File.WriteAllText(key, TlsCertificateFactory.PrivateKeyPem(host));
        return (certificate, key);
    }
}
