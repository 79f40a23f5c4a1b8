using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RiverRun.Contracts.Tls;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>What a client or Runner accepts as the Host's certificate, and the sentence it says when it does not.</summary>
public sealed class HostCertificatePolicyTests : IDisposable
{
    private static readonly DateTimeOffset Made = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeProvider Later = new FixedTime(Made.AddDays(1));

    private readonly X509Certificate2 _ca = TlsCertificateFactory.CreateAuthority("RiverRun CA for head", Made, TlsCertificateFactory.AuthorityLifetime);
    private readonly X509Certificate2 _otherCa = TlsCertificateFactory.CreateAuthority("RiverRun CA for elsewhere", Made, TlsCertificateFactory.AuthorityLifetime);
    private readonly X509Certificate2 _host;

    public HostCertificatePolicyTests()
    {
        _host = TlsCertificateFactory.CreateHostCertificate(_ca, ["head", "localhost"], [System.Net.IPAddress.Loopback], Made, TimeSpan.FromDays(30));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void A_certificate_signed_by_the_given_CA_is_accepted_although_the_system_store_does_not_know_that_CA()
    {
        var policy = Policy([_ca]);

        Assert.Null(policy.Check(_host, [], SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_certificate_signed_by_another_CA_is_refused_naming_both_CAs_and_the_file()
    {
        var policy = Policy([_otherCa]);

        var reason = policy.Check(_host, [], SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(
            $"the Host's certificate is issued by '{_ca.Subject}', not by the CA in --ca /etc/riverrun/tls/ca.crt ('{_otherCa.Subject}'); give the ca.crt made together with the Host's certificate, or make the Host a certificate signed by this CA",
            reason);
    }

    [Fact]
    public void A_bundle_of_many_other_CAs_is_named_by_its_first_three_and_a_count()
    {
        using var third = TlsCertificateFactory.CreateAuthority("Third CA", Made, TlsCertificateFactory.AuthorityLifetime);
        using var fourth = TlsCertificateFactory.CreateAuthority("Fourth CA", Made, TlsCertificateFactory.AuthorityLifetime);
        using var fifth = TlsCertificateFactory.CreateAuthority("Fifth CA", Made, TlsCertificateFactory.AuthorityLifetime);
        var policy = Policy([_otherCa, third, fourth, fifth]);

        var reason = policy.Check(_host, [], SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Contains($"('{_otherCa.Subject}', '{third.Subject}', '{fourth.Subject}' and 1 more)", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(fifth.Subject, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_for_other_names_is_refused_listing_the_names_it_is_for_even_from_the_right_CA()
    {
        var policy = new HostCertificatePolicy("elsewhere", [_ca], "--ca ca.crt", Later);

        var reason = policy.Check(_host, [], SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(
            "the Host's certificate is for DNS:head, DNS:localhost, IP:127.0.0.1, not for 'elsewhere'; connect with one of those names in the Host URL, or make the Host a certificate that includes 'elsewhere' (riverrun init tls --name NAME --ip ADDRESS)",
            reason);
    }

    [Fact]
    public void An_expired_certificate_is_refused_with_the_day_it_expired()
    {
        var policy = new HostCertificatePolicy("head", [_ca], "--ca ca.crt", new FixedTime(Made.AddDays(31)));

        var reason = policy.Check(_host, [], SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal($"the Host's certificate ({_host.Subject}) expired on 2026-12-30 12:00 UTC; make it a new one (riverrun init tls) and restart the Host", reason);
    }

    [Fact]
    public void A_certificate_from_the_future_is_refused_pointing_at_the_clocks()
    {
        var policy = new HostCertificatePolicy("head", [_ca], "--ca ca.crt", new FixedTime(Made.AddHours(-1)));

        var reason = policy.Check(_host, [], SslPolicyErrors.None);

        Assert.Contains("is not valid before 2026-11-30 11:55 UTC; check the clocks", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_CA_the_system_store_decides_and_its_refusal_points_at_ca()
    {
        var policy = new HostCertificatePolicy("head", null, null, Later);

        Assert.Null(policy.Check(_host, [], SslPolicyErrors.None));
        var reason = policy.Check(_host, [], SslPolicyErrors.RemoteCertificateChainErrors);
        Assert.Equal(
            $"the Host's certificate is issued by '{_ca.Subject}', which this machine's system trust store does not trust; if it comes from `riverrun init tls`, give its CA: --ca DIR/ca.crt (or RIVERRUN_CA, or ca in runner.toml)",
            reason);
    }

    [Fact]
    public void A_Host_that_sends_no_certificate_is_refused() =>
        Assert.Equal("the Host sent no certificate", Policy([_ca]).Check(null, [], SslPolicyErrors.RemoteCertificateNotAvailable));

    [Fact]
    public void The_CA_certificate_itself_presented_as_the_Host_is_refused_as_not_made_for_a_server()
    {
        // The CA has no serverAuth purpose... and no extended key usage at all, which X.509 reads as
        // "any purpose": it chains (to itself). What must fail is the name: the CA names no host.
        var reason = Policy([_ca]).Check(_ca, [], SslPolicyErrors.RemoteCertificateNameMismatch);

        Assert.Contains("(it has no subject alternative names), not for 'head'", reason, StringComparison.Ordinal);
    }

    private static HostCertificatePolicy Policy(X509Certificate2[] cas) =>
        new("head", [.. cas], "--ca /etc/riverrun/tls/ca.crt", Later);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
