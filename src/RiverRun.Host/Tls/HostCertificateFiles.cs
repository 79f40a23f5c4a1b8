using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RiverRun.Host.Tls;

/// <summary>
/// Reads the Host's TLS certificate and key (<c>tls_cert</c>, <c>tls_key</c>) and checks them
/// before the Host listens: both readable, both PEM, the key the certificate's own, the
/// certificate valid now. Each failure is one sentence naming the file and how to fix it, so a
/// Host with a broken TLS setup stops at start (exit 2) instead of failing every handshake.
/// </summary>
public static class HostCertificateFiles
{
    private const string NewCertificateHint = "make a new one with `riverrun init tls --out DIR` (add --force to replace the old files)";

    /// <summary>The certificate with its private key; on failure <paramref name="error"/> says why, naming the file.</summary>
    public static bool TryLoad(string certificatePath, string keyPath, DateTimeOffset now, [NotNullWhen(true)] out X509Certificate2? certificate, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(keyPath);
        certificate = null;
        if (Read(certificatePath, "certificate", out var certificateText) is { } certificateReadError)
        {
            error = certificateReadError;
            return false;
        }

        if (Read(keyPath, "private key", out var keyText) is { } keyReadError)
        {
            error = keyReadError;
            return false;
        }

        if (!certificateText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            error = certificateText.Contains("PRIVATE KEY-----", StringComparison.Ordinal)
                ? $"{certificatePath} holds a private key, not a certificate; are the certificate and the key swapped? (the certificate is host.crt, the key host.key)"
                : $"{certificatePath} is not a PEM certificate (it has no -----BEGIN CERTIFICATE----- line); give host.crt from `riverrun init tls`, or any PEM certificate";
            return false;
        }

        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            error = $"{keyPath} is an encrypted private key, which the Host cannot unlock without a passphrase at start; store it unencrypted, readable only by root (mode 0600), e.g. with `openssl pkey -in {keyPath} -out host.key`";
            return false;
        }

        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            error = keyText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? $"{keyPath} holds a certificate, not a private key; are the certificate and the key swapped? (the certificate is host.crt, the key host.key)"
                : $"{keyPath} is not a PEM private key (it has no -----BEGIN PRIVATE KEY----- line); give host.key from `riverrun init tls`";
            return false;
        }

        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(certificateText);
        }
        catch (CryptographicException ex)
        {
            error = $"{certificatePath} holds no readable certificate ({ex.Message}); {NewCertificateHint}";
            return false;
        }

        using (publicOnly)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(certificateText, keyText);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                // ArgumentException: a readable key of the certificate's kind that is not its key.
                error = IsReadableKey(keyText)
                    ? $"{keyPath} is not the private key of the certificate in {certificatePath} ({publicOnly.Subject}); give the key made together with it (host.key beside host.crt)"
                    : $"{keyPath} holds no readable private key ({ex.Message}); give host.key from `riverrun init tls`";
                return false;
            }
        }

        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            error = $"the certificate in {certificatePath} ({certificate.Subject}) expired on {Format(certificate.NotAfter)}; {NewCertificateHint}";
            certificate.Dispose();
            certificate = null;
            return false;
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            error = $"the certificate in {certificatePath} ({certificate.Subject}) is not valid before {Format(certificate.NotBefore)}; check this machine's clock";
            certificate.Dispose();
            certificate = null;
            return false;
        }

        error = null;
        return true;
    }

    private static string? Read(string path, string what, out string text)
    {
        text = string.Empty;
        try
        {
            text = File.ReadAllText(path);
            return null;
        }
        catch (FileNotFoundException)
        {
            return $"the TLS {what} {path} does not exist; {NewCertificateHint}";
        }
        catch (DirectoryNotFoundException)
        {
            return $"the TLS {what} {path} does not exist (nor does its directory); {NewCertificateHint}";
        }
        catch (UnauthorizedAccessException)
        {
            // Under riverrun-host.service the Host is a dynamic user: root's files reach it through LoadCredential=.
            return $"the TLS {what} {path} cannot be read by the Host's user; as a service, regenerate the units (`riverrun init service --host`) so systemd hands the files over (LoadCredential=), or make the file readable by the user the Host runs as";
        }
        catch (IOException ex)
        {
            return $"cannot read the TLS {what} {path}: {ex.Message}";
        }
    }

    private static bool IsReadableKey(string keyText)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { ECDsa.Create, RSA.Create })
        {
            using var key = create();
            try
            {
                key.ImportFromPem(keyText);
                return true;
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                // Not this kind of key; try the next.
            }
        }

        return false;
    }

    private static string Format(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
