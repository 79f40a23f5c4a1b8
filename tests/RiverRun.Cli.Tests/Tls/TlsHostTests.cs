using System.Net;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Contracts.Tls;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>
/// A real `riverrun host` process serving TLS on a loopback port, with certificates from a real
/// `riverrun init tls`, and the client pipeline dialling it: what each kind of wrong client is
/// told, and that the right one gets through.
/// </summary>
public sealed class TlsHostTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private HostProcess _host = null!;

    private string Tls => _directory.Combine("tls");

    private string OtherTls => _directory.Combine("other-tls");

    public async ValueTask InitializeAsync()
    {
        Assert.Equal(ExitCodes.Success, await new CliRun().RunAsync("init", "tls", "--out", Tls, "--name", "head"));
        Assert.Equal(ExitCodes.Success, await new CliRun().RunAsync("init", "tls", "--out", OtherTls, "--name", "head"));
        _host = await HostProcess.StartAsync(
            "--listen", "127.0.0.1:0", "--http-listen", "none", "--data-dir", _directory.Combine("data"),
            "--tls-cert", Path.Join(Tls, "host.crt"), "--tls-key", Path.Join(Tls, "host.key"));
        Assert.False(_host.HasExited, _host.Output);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_Host_says_it_serves_TLS()
    {
        var output = await _host.WaitForOutputAsync("RiverRun Host listening on 127.0.0.1:0 (HTTP/2 over TLS)");

        Assert.Contains($"Now listening on: https://127.0.0.1:{_host.Port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("INSECURE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_the_CA_lists_the_nodes()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{_host.Port}", "--ca", Path.Join(Tls, "ca.crt"), "nodes");

        Assert.True(exitCode == ExitCodes.Success, cli.Stderr);
        Assert.StartsWith("NAME", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_riverrun_process_with_a_relative_CA_path_reaches_the_Host_whatever_store_the_environment_names()
    {
        // The real executable (the only place SystemTrustStoreRedirect runs): the system store its
        // environment names holds only the other CA, and --ca is relative to its working directory.
        var start = new System.Diagnostics.ProcessStartInfo(HostProcess.Executable())
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--host", $"https://localhost:{_host.Port}", "--ca", "tls/ca.crt", "nodes" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SSL_CERT_FILE"] = Path.Join(OtherTls, "ca.crt");
        start.Environment["SSL_CERT_DIR"] = OtherTls;
        using var client = System.Diagnostics.Process.Start(start)!;
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(CliRun.Patience);

        Assert.True(client.ExitCode == ExitCodes.Success, await stderr);
        Assert.StartsWith("NAME", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_the_CA_in_RIVERRUN_CA_reaches_the_Host_by_its_address_too()
    {
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, $"https://127.0.0.1:{_host.Port}");
        cli.SetEnvironment(HostConnection.CaVariable, Path.Join(Tls, "ca.crt"));

        var exitCode = await cli.RunAsync("list");

        Assert.True(exitCode == ExitCodes.Success, cli.Stderr);
    }

    [Fact]
    public async Task A_cleartext_client_is_told_the_Host_serves_TLS_and_to_use_https()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"http://127.0.0.1:{_host.Port}", "nodes");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Equal(
            $"riverrun: listing nodes failed: the Host at http://127.0.0.1:{_host.Port} hung up without answering cleartext HTTP/2; it most likely serves TLS: use https://127.0.0.1:{_host.Port}, with --ca FILE (or RIVERRUN_CA) when its certificate comes from `riverrun init tls`\n",
            cli.Stderr);
    }

    [Fact]
    public async Task A_client_with_another_CA_is_told_whose_certificate_it_got_and_which_CA_it_trusts()
    {
        var cli = new CliRun();
        var otherCa = Path.Join(OtherTls, "ca.crt");

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{_host.Port}", "--ca", otherCa, "nodes");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.StartsWith($"riverrun: listing nodes failed: the Host at https://localhost:{_host.Port} is not trusted: the Host's certificate is issued by 'O=RiverRun, CN=RiverRun CA for head (", cli.Stderr, StringComparison.Ordinal);
        Assert.Contains($"not by the CA in --ca {otherCa} ('O=RiverRun, CN=RiverRun CA for head (", cli.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("give the ca.crt made together with the Host's certificate, or make the Host a certificate signed by this CA\n", cli.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", cli.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logs")]
    [InlineData("logs", "-f")]
    public async Task Reading_output_from_an_untrusted_Host_says_why_instead_of_ending_silently_as_if_interrupted(params string[] command)
    {
        // A streaming call that fails before its first message reaches the client as a
        // cancellation; `logs` used to take it for Ctrl-C and exit 130 without a word.
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(["--host", $"https://localhost:{_host.Port}", "--ca", Path.Join(OtherTls, "ca.crt"), .. command, "abcdefghijkl"]);

        Assert.True(exitCode == ExitCodes.Unavailable, cli.Stderr);
        Assert.StartsWith($"riverrun: watching task abcdefghijkl failed: the Host at https://localhost:{_host.Port} is not trusted: ", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_a_CA_is_told_the_system_store_does_not_trust_it_and_to_give_ca()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{_host.Port}", "nodes");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("which this machine's system trust store does not trust; if it comes from `riverrun init tls`, give its CA: --ca DIR/ca.crt", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_for_a_cleartext_address_is_refused_before_anything_is_sent()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"http://localhost:{_host.Port}", "--ca", Path.Join(Tls, "ca.crt"), "nodes");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(
            $"riverrun: --ca {Path.Join(Tls, "ca.crt")} is given, but the Host address http://localhost:{_host.Port} is cleartext; use https://localhost:{_host.Port} for a Host that serves TLS, or drop --ca for one that does not\n",
            cli.Stderr);
    }

    [Fact]
    public async Task A_CA_file_that_is_not_a_certificate_is_refused_naming_it()
    {
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.CaVariable, Path.Join(Tls, "host.key"));

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{_host.Port}", "nodes");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"riverrun: RIVERRUN_CA: {Path.Join(Tls, "host.key")} holds no certificate (no -----BEGIN CERTIFICATE----- block); give the ca.crt that `riverrun init tls` wrote for this Host\n", cli.Stderr);
    }

    [Fact]
    public async Task A_Host_whose_certificate_lacks_the_dialled_name_is_refused_listing_the_names_it_has()
    {
        var elsewhere = _directory.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var now = DateTimeOffset.UtcNow;
        using (var ca = TlsCertificateFactory.CreateAuthority("elsewhere CA", now, TimeSpan.FromDays(1)))
        using (var certificate = TlsCertificateFactory.CreateHostCertificate(ca, ["elsewhere"], [IPAddress.Parse("10.9.9.9")], now, TimeSpan.FromDays(1)))
        {
            await File.WriteAllTextAsync(Path.Join(elsewhere, "ca.crt"), TlsCertificateFactory.CertificatePem(ca));
            await File.WriteAllTextAsync(Path.Join(elsewhere, "host.crt"), TlsCertificateFactory.CertificatePem(certificate));
            await File.WriteAllTextAsync(Path.Join(elsewhere, "host.key"), TlsCertificateFactory.PrivateKeyPem(certificate));
        }

        await using var host = await HostProcess.StartAsync(
            "--listen", "127.0.0.1:0", "--http-listen", "none", "--data-dir", _directory.Combine("data-elsewhere"),
            "--tls-cert", Path.Join(elsewhere, "host.crt"), "--tls-key", Path.Join(elsewhere, "host.key"));
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"https://127.0.0.1:{host.Port}", "--ca", Path.Join(elsewhere, "ca.crt"), "nodes");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Equal(
            $"riverrun: listing nodes failed: the Host at https://127.0.0.1:{host.Port} is not trusted: the Host's certificate is for DNS:elsewhere, IP:10.9.9.9, not for '127.0.0.1'; connect with one of those names in the Host URL, or make the Host a certificate that includes '127.0.0.1' (riverrun init tls --name NAME --ip ADDRESS)\n",
            cli.Stderr);
    }

    [Fact]
    public async Task A_TLS_client_to_a_cleartext_Host_is_told_to_use_http()
    {
        await using var cleartext = await HostProcess.StartAsync("--listen", "127.0.0.1:0", "--http-listen", "none", "--data-dir", _directory.Combine("data-cleartext"));
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{cleartext.Port}", "--ca", Path.Join(Tls, "ca.crt"), "nodes");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.StartsWith($"riverrun: listing nodes failed: the TLS handshake with the Host at https://localhost:{cleartext.Port} failed (", cli.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"); if that Host serves cleartext (no tls_cert in its host.toml), use http://localhost:{cleartext.Port}, or give it a certificate (riverrun init tls)\n", cli.Stderr, StringComparison.Ordinal);
    }
}
