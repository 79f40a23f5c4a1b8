using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// Makes the certificates of <c>riverrun init tls</c>: a small CA that signs nothing but Host
/// certificates, and a Host certificate for the names and addresses clients and Runners dial.
/// Pure: keys and certificates in memory, no files (the command writes them); the clock and the
/// lifetimes come in. ECDSA P-256 keys: every TLS 1.2/1.3 stack speaks it, and it is quick to make.
/// </summary>
public static class TlsCertificateFactory
{
    /// <summary>How long the CA is valid: long, since renewing it means handing every client and Runner a new ca.crt.</summary>
    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);

    /// <summary>How long a Host certificate is valid: renewing it touches the Host only (same CA).</summary>
    public static readonly TimeSpan HostLifetime = TimeSpan.FromDays(825);

    // Certificates start a little in the past: a client whose clock is a few minutes behind the
    // machine that made them would otherwise refuse them as "not yet valid".
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>A CA certificate with its private key: may sign end certificates only (path length 0).</summary>
    public static X509Certificate2 CreateAuthority(string commonName, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(DistinguishedName(commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - ClockSkewAllowance, now + lifetime);
    }

    /// <summary>
    /// A Host certificate signed by <paramref name="authority"/> (which must hold its private key),
    /// with its own new private key, for TLS servers only, naming <paramref name="names"/> and
    /// <paramref name="addresses"/> as subject alternative names (what TLS clients check).
    /// </summary>
    public static X509Certificate2 CreateHostCertificate(X509Certificate2 authority, IReadOnlyList<string> names, IReadOnlyList<IPAddress> addresses, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(addresses);
        if (names.Count == 0 && addresses.Count == 0)
        {
            throw new ArgumentException("a Host certificate needs at least one name or address", nameof(names));
        }

        var notAfter = now + lifetime;
        if (notAfter > authority.NotAfter)
        {
            // A certificate may not outlive its issuer: clients would refuse it once the CA expired anyway.
            notAfter = authority.NotAfter;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var commonName = names.Count > 0 ? names[0] : addresses[0].ToString();
        var request = new CertificateRequest(DistinguishedName(commonName), key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternativeNames.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            alternativeNames.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(alternativeNames.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        // ECDHE key exchange: the key only signs the handshake.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(authority, now - ClockSkewAllowance, notAfter, SerialNumber());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate as PEM (-----BEGIN CERTIFICATE-----).</summary>
    public static string CertificatePem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The certificate's private key as unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), what Kestrel reads.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate holds no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static X500DistinguishedName DistinguishedName(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName("RiverRun");
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    // 16 random bytes, the top bit clear so it reads as a positive number (RFC 5280 4.1.2.2).
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    /// <summary>The CA's common name for a cluster whose Host is <paramref name="hostName"/>, dated so two CAs are told apart.</summary>
    public static string AuthorityName(string hostName, DateTimeOffset now) =>
        $"RiverRun CA for {hostName} ({now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
}
