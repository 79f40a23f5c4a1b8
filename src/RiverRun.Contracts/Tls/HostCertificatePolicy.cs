using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// Decides whether the certificate a Host presented is the Host's: with a trusted CA file
/// (<c>--ca</c>) it must chain to that CA and to nothing else (custom root trust: the system's
/// CAs do not count); without one, to a CA of the system trust store. Either way its names must
/// include the name the client dialled (TLS's own host name check), and it must be valid now.
/// Every refusal is one sentence saying what is wrong and how to fix it.
/// </summary>
public sealed class HostCertificatePolicy
{
    // id-kp-serverAuth: a certificate made for something else (a client, code signing) is not a server's.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly string _hostName;
    private readonly X509Certificate2Collection? _trustedCas;
    private readonly string? _caSource;
    private readonly TimeProvider _time;

    /// <param name="hostName">The name or address in the Host URL, as dialled.</param>
    /// <param name="trustedCas">The CAs of --ca, or null for the system trust store.</param>
    /// <param name="caSource">Where those came from, for messages: "--ca /etc/riverrun/tls/ca.crt".</param>
    /// <param name="time">The clock validity is checked against.</param>
    public HostCertificatePolicy(string hostName, X509Certificate2Collection? trustedCas, string? caSource, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        ArgumentNullException.ThrowIfNull(time);
        _hostName = hostName;
        _trustedCas = trustedCas;
        _caSource = caSource;
        _time = time;
    }

    /// <summary>
    /// Null when the certificate is acceptable; otherwise why not.
    /// </summary>
    /// <param name="certificate">The Host's certificate; null when it sent none.</param>
    /// <param name="presented">The other certificates the Host sent (intermediates), from TLS's own chain.</param>
    /// <param name="errors">What TLS itself found (the name check, the system store's verdict).</param>
    public string? Check(X509Certificate2? certificate, IEnumerable<X509Certificate2> presented, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the Host sent no certificate";
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            return $"the Host's certificate ({certificate.Subject}) expired on {Format(certificate.NotAfter)}; make it a new one (riverrun init tls) and restart the Host";
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            return $"the Host's certificate ({certificate.Subject}) is not valid before {Format(certificate.NotBefore)}; check the clocks of this machine and of the one that made the certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the Host's certificate is for {DescribeNames(certificate)}, not for '{_hostName}'; connect with one of those names in the Host URL, or make the Host a certificate that includes '{_hostName}' (riverrun init tls --name NAME --ip ADDRESS)";
        }

        if (_trustedCas is null)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? $"the Host's certificate is issued by '{certificate.Issuer}', which this machine's system trust store does not trust; if it comes from `riverrun init tls`, give its CA: --ca DIR/ca.crt (or RIVERRUN_CA, or ca in runner.toml)"
                : null;
        }

        return CheckAgainstTrustedCas(certificate, presented, now);
    }

    private string? CheckAgainstTrustedCas(X509Certificate2 certificate, IEnumerable<X509Certificate2> presented, DateTime now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedCas!);
        // A private CA publishes no revocation list; `riverrun init tls` makes certificates without one.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        foreach (var intermediate in presented)
        {
            if (!intermediate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            }
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var statuses = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (all, one) => all | one);
        // A bundle given as --ca (the system's own, say) holds a hundred CAs: name a few.
        const int Named = 3;
        var cas = string.Join(", ", _trustedCas!.Take(Named).Select(ca => $"'{ca.Subject}'"))
            + (_trustedCas!.Count > Named ? $" and {_trustedCas.Count - Named} more" : "");
        if (statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot) || statuses.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return $"the Host's certificate is issued by '{certificate.Issuer}', not by the CA in {_caSource} ({cas}); give the ca.crt made together with the Host's certificate, or make the Host a certificate signed by this CA";
        }

        if (statuses.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            return $"the Host's certificate ({certificate.Subject}) is not made for a TLS server (its extended key usage lacks serverAuth); make one with `riverrun init tls`";
        }

        var detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"the Host's certificate does not verify against the CA in {_caSource} ({cas}): {(detail.Length > 0 ? detail : statuses.ToString())}";
    }

    /// <summary>The names a certificate is for, as a list for messages: "DNS:head, DNS:localhost, IP:10.0.0.1".</summary>
    public static string DescribeNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames().Select(name => "DNS:" + name));
            names.AddRange(extension.EnumerateIPAddresses().Select(address => "IP:" + address));
        }

        return names.Count > 0 ? string.Join(", ", names) : $"'{certificate.Subject}' (it has no subject alternative names)";
    }

    private static string Format(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
