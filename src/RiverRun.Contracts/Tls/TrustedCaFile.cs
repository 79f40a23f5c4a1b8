using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// Reads the CA certificate(s) a client or Runner trusts instead of the system store (<c>--ca FILE</c>,
/// RIVERRUN_CA, <c>ca</c> in runner.toml): a PEM file such as the ca.crt <c>riverrun init tls</c> writes.
/// </summary>
public static class TrustedCaFile
{
    /// <summary>Every certificate in <paramref name="path"/>; <paramref name="source"/> names the setting in messages ("--ca").</summary>
    /// <exception cref="TlsSetupException">The file is missing, unreadable, or holds no PEM certificate.</exception>
    public static X509Certificate2Collection Load(string path, string source)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TlsSetupException(
                $"{source}: cannot read the CA certificate {path} ({ex.Message}); give the ca.crt that `riverrun init tls` wrote for this Host", ex);
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            throw new TlsSetupException($"{source}: {path} is not a PEM certificate file ({ex.Message}); give the ca.crt that `riverrun init tls` wrote (it begins with -----BEGIN CERTIFICATE-----)", ex);
        }

        if (certificates.Count == 0)
        {
            throw new TlsSetupException($"{source}: {path} holds no certificate (no -----BEGIN CERTIFICATE----- block); give the ca.crt that `riverrun init tls` wrote for this Host");
        }

        return certificates;
    }
}
