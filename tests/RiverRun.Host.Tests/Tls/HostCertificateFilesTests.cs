using RiverRun.Host.Tls;

namespace RiverRun.Host.Tests.Tls;

/// <summary>The Host's TLS files checked at start: every way they can be wrong gets its own sentence.</summary>
public sealed class HostCertificateFilesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Files_from_init_tls_load_with_their_key()
    {
        var (certificatePath, keyPath) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));

        Assert.True(HostCertificateFiles.TryLoad(certificatePath, keyPath, Now, out var certificate, out var error), error);
        using (certificate)
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Contains("CN=head", certificate.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_certificate_is_named_with_how_to_make_one()
    {
        var (_, keyPath) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));
        var missing = _directory.Combine("nope.crt");

        Assert.Equal(
            $"the TLS certificate {missing} does not exist; make a new one with `riverrun init tls --out DIR` (add --force to replace the old files)",
            Error(missing, keyPath));
    }

    [Fact]
    public void A_file_that_is_not_PEM_is_refused()
    {
        var (_, keyPath) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));
        var text = _directory.Combine("text.crt");
        File.WriteAllText(text, "hello\n");

        Assert.Equal(
            $"{text} is not a PEM certificate (it has no -----BEGIN CERTIFICATE----- line); give host.crt from `riverrun init tls`, or any PEM certificate",
            Error(text, keyPath));
    }

    [Fact]
    public void Swapped_files_are_recognized_as_swapped()
    {
        var (certificatePath, keyPath) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));

        Assert.Equal(
            $"{keyPath} holds a private key, not a certificate; are the certificate and the key swapped? (the certificate is host.crt, the key host.key)",
            Error(keyPath, certificatePath));
    }

    [Fact]
    public void A_key_that_belongs_to_another_certificate_is_refused()
    {
        var (certificatePath, _) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));
        var (_, otherKey) = TestTls.Write(_directory.Combine("b"), Now, TimeSpan.FromDays(30));

        Assert.Equal(
            $"{otherKey} is not the private key of the certificate in {certificatePath} (O=RiverRun, CN=head); give the key made together with it (host.key beside host.crt)",
            Error(certificatePath, otherKey));
    }

    [Fact]
    public void An_encrypted_key_is_refused_saying_to_store_it_unencrypted()
    {
        var (certificatePath, _) = TestTls.Write(_directory.Combine("a"), Now, TimeSpan.FromDays(30));
        var encrypted = _directory.Combine("enc.key");
        File.WriteAllText(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        Assert.StartsWith($"{encrypted} is an encrypted private key", Error(certificatePath, encrypted), StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_is_refused_with_its_expiry()
    {
        var (certificatePath, keyPath) = TestTls.Write(_directory.Combine("a"), Now.AddDays(-40), TimeSpan.FromDays(30));

        Assert.Equal(
            $"the certificate in {certificatePath} (O=RiverRun, CN=head) expired on 2026-11-20 12:00 UTC; make a new one with `riverrun init tls --out DIR` (add --force to replace the old files)",
            Error(certificatePath, keyPath));
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_refused_pointing_at_the_clock()
    {
        var (certificatePath, keyPath) = TestTls.Write(_directory.Combine("a"), Now.AddDays(2), TimeSpan.FromDays(30));

        Assert.StartsWith($"the certificate in {certificatePath} (O=RiverRun, CN=head) is not valid before 2026-12-02 11:55 UTC", Error(certificatePath, keyPath), StringComparison.Ordinal);
    }

    private static string Error(string certificatePath, string keyPath)
    {
        Assert.False(HostCertificateFiles.TryLoad(certificatePath, keyPath, Now, out _, out var error));
        return error;
    }
}
