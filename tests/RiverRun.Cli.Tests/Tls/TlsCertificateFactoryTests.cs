using System.Net;
using System.Security.Cryptography.X509Certificates;
using RiverRun.Contracts.Tls;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>The certificates of `riverrun init tls`, made in memory and read field by field.</summary>
public sealed class TlsCertificateFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_CA_may_sign_end_certificates_only_and_nothing_but_certificates_and_revocation_lists()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("RiverRun CA for head", Now, TlsCertificateFactory.AuthorityLifetime);

        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        var usage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.Contains("CN=RiverRun CA for head", ca.Subject, StringComparison.Ordinal);
        Assert.True(ca.HasPrivateKey);
    }

    [Fact]
    public void The_CA_is_valid_from_a_few_minutes_ago_for_its_lifetime()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TimeSpan.FromDays(3650));

        Assert.Equal(Now.UtcDateTime.AddMinutes(-5), ca.NotBefore.ToUniversalTime());
        Assert.Equal(Now.UtcDateTime.AddDays(3650), ca.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void The_host_certificate_names_every_name_and_address_given_as_subject_alternative_names()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);

        using var host = TlsCertificateFactory.CreateHostCertificate(
            ca, ["head", "head.lab.example", "localhost"], [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fd00::1")], Now, TlsCertificateFactory.HostLifetime);

        var names = Assert.Single(host.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["head", "head.lab.example", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fd00::1")], names.EnumerateIPAddresses());
        Assert.Contains("CN=head", host.Subject, StringComparison.Ordinal);
        Assert.Equal("DNS:head, DNS:head.lab.example, DNS:localhost, IP:10.0.0.1, IP:fd00::1", HostCertificatePolicy.DescribeNames(host));
    }

    [Fact]
    public void The_host_certificate_is_for_TLS_servers_only_and_is_no_CA()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);

        using var host = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TlsCertificateFactory.HostLifetime);

        var constraints = Assert.Single(host.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.False(constraints.CertificateAuthority);
        var usage = Assert.Single(host.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        var purposes = Assert.Single(host.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(purposes.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.True(host.HasPrivateKey);
    }

    [Fact]
    public void The_host_certificate_is_issued_by_the_CA_and_chains_to_it_alone()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);
        using var host = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TlsCertificateFactory.HostLifetime);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(1);

        Assert.True(chain.Build(host), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(ca.Subject, host.Issuer);
        var authorityKey = Assert.Single(host.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Equal(Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>()).SubjectKeyIdentifierBytes.ToArray(), authorityKey.KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void The_host_certificate_never_outlives_its_CA()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TimeSpan.FromDays(10));

        using var host = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TimeSpan.FromDays(825));

        Assert.Equal(ca.NotAfter, host.NotAfter);
        Assert.Equal(Now.UtcDateTime.AddMinutes(-5), host.NotBefore.ToUniversalTime());
    }

    [Fact]
    public void Two_certificates_get_different_serial_numbers_and_keys()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);

        using var first = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TlsCertificateFactory.HostLifetime);
        using var second = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TlsCertificateFactory.HostLifetime);

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.GetPublicKeyString(), second.GetPublicKeyString());
    }

    [Fact]
    public void The_PEM_texts_read_back_as_the_same_certificate_with_its_key()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);
        using var host = TlsCertificateFactory.CreateHostCertificate(ca, ["head"], [], Now, TlsCertificateFactory.HostLifetime);

        var certificatePem = TlsCertificateFactory.CertificatePem(host);
        var keyPem = TlsCertificateFactory.PrivateKeyPem(host);
        using var read = X509Certificate2.CreateFromPem(certificatePem, keyPem);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", certificatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        Assert.Equal(host.Thumbprint, read.Thumbprint);
        Assert.True(read.HasPrivateKey);
    }

    [Fact]
    public void A_host_certificate_without_any_name_or_address_is_refused()
    {
        using var ca = TlsCertificateFactory.CreateAuthority("ca", Now, TlsCertificateFactory.AuthorityLifetime);

        Assert.Throws<ArgumentException>(() => TlsCertificateFactory.CreateHostCertificate(ca, [], [], Now, TlsCertificateFactory.HostLifetime));
    }
}
