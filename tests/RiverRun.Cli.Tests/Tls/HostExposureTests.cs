using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>
/// A real `riverrun host` process asked to listen beyond loopback (0.0.0.0): refused without TLS
/// and tokens, started with a warning under --insecure, started quietly with both — and then a
/// client's token crosses TLS as call credentials.
/// </summary>
public sealed class HostExposureTests : IDisposable
{
    private const string HowTo = "Set them up: `riverrun init tls --out /etc/riverrun/tls --name HOSTNAME --ip ADDRESS`, then tls_cert and tls_key in host.toml (or --tls-cert/--tls-key); `riverrun init token` on this machine for the first admin token, then `riverrun token create` for users and Runners. Or listen on loopback only (--listen 127.0.0.1:8700), or, on a network you trust completely, start with --insecure";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Without_TLS_and_tokens_it_refuses_to_listen_on_all_interfaces_with_exit_2_saying_how_to_set_them_up()
    {
        await using var host = await HostProcess.StartAsync("--listen", "0.0.0.0:0", "--http-listen", "none", "--data-dir", _directory.Combine("data"));

        Assert.True(host.HasExited, host.Output);
        Assert.Equal(2, host.ExitCode);
        Assert.Contains(
            "riverrun host: refusing to listen on 0.0.0.0:0, beyond loopback: TLS is not configured (calls, tokens and task output cross the network in clear), and no token exists (every caller is trusted as admin: anyone who reaches it can run commands on every node as root). " + HowTo + "\n",
            host.Output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_TLS_but_no_token_it_still_refuses_naming_only_the_missing_tokens()
    {
        var tls = await InitTlsAsync();

        await using var host = await HostProcess.StartAsync(
            "--listen", "0.0.0.0:0", "--http-listen", "none", "--data-dir", _directory.Combine("data"),
            "--tls-cert", Path.Join(tls, "host.crt"), "--tls-key", Path.Join(tls, "host.key"));

        Assert.Equal(2, host.ExitCode);
        Assert.Contains("refusing to listen on 0.0.0.0:0, beyond loopback: no token exists (every caller is trusted as admin", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS is not configured", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_insecure_it_listens_on_all_interfaces_and_warns_saying_what_is_missing()
    {
        await using var host = await HostProcess.StartAsync("--listen", "0.0.0.0:0", "--http-listen", "none", "--data-dir", _directory.Combine("data"), "--insecure");

        Assert.False(host.HasExited, host.Output);
        Assert.Contains("warn: RiverRun.Host.Tls.ListenExposureGuard[6] INSECURE: listening on 0.0.0.0:0, beyond loopback, although TLS is not configured", host.Output, StringComparison.Ordinal);
        Assert.Contains("Started with --insecure (insecure = true); set up TLS and tokens and remove it", host.Output, StringComparison.Ordinal);
        Assert.Contains($"Now listening on: http://0.0.0.0:{host.Port}", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_in_host_toml_works_like_the_flag()
    {
        var config = _directory.Combine("host.toml");
        await File.WriteAllTextAsync(config, "listen = \"0.0.0.0:0\"\nhttp_listen = \"none\"\ninsecure = true\n");

        await using var host = await HostProcess.StartAsync("--config", config, "--data-dir", _directory.Combine("data"));

        Assert.False(host.HasExited, host.Output);
        Assert.Contains("INSECURE: listening on 0.0.0.0:0", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_TLS_and_a_token_it_listens_on_all_interfaces_without_warning_and_the_token_works_over_TLS()
    {
        var tls = await InitTlsAsync();
        var data = _directory.Combine("data");
        var init = new CliRun();
        Assert.Equal(ExitCodes.Success, await init.RunAsync("init", "token", "--data-dir", data, "--env-file", _directory.Combine("riverrun.env"), "--print"));
        var token = init.Stdout.TrimEnd('\n').Split('\n')[^1];

        await using var host = await HostProcess.StartAsync(
            "--listen", "0.0.0.0:0", "--http-listen", "none", "--data-dir", data,
            "--tls-cert", Path.Join(tls, "host.crt"), "--tls-key", Path.Join(tls, "host.key"));
        Assert.False(host.HasExited, host.Output);
        Assert.DoesNotContain("warn", await host.WaitForOutputAsync("RiverRun Host listening on 0.0.0.0:0 (HTTP/2 over TLS)"), StringComparison.Ordinal);

        var withToken = new CliRun();
        withToken.SetEnvironment(HostConnection.TokenVariable, token);
        var exitCode = await withToken.RunAsync("--host", $"https://localhost:{host.Port}", "--ca", Path.Join(tls, "ca.crt"), "token", "list");
        Assert.True(exitCode == ExitCodes.Success, withToken.Stderr);
        Assert.Contains("admin", withToken.Stdout, StringComparison.Ordinal);

        var withoutToken = new CliRun();
        Assert.Equal(ExitCodes.Unavailable, await withoutToken.RunAsync("--host", $"https://localhost:{host.Port}", "--ca", Path.Join(tls, "ca.crt"), "token", "list"));
        Assert.Contains("did not accept the credentials", withoutToken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_the_certificates_own_stops_the_start_with_exit_2_naming_both_files()
    {
        var tls = await InitTlsAsync();
        var other = await InitTlsAsync("other");

        await using var host = await HostProcess.StartAsync(
            "--listen", "127.0.0.1:0", "--http-listen", "none", "--data-dir", _directory.Combine("data"),
            "--tls-cert", Path.Join(tls, "host.crt"), "--tls-key", Path.Join(other, "host.key"));

        Assert.Equal(2, host.ExitCode);
        Assert.Contains(
            $"riverrun host: invalid configuration: --tls-cert, --tls-key: {Path.Join(other, "host.key")} is not the private key of the certificate in {Path.Join(tls, "host.crt")} (O=RiverRun, CN=head); give the key made together with it (host.key beside host.crt)",
            host.Output,
            StringComparison.Ordinal);
    }

    private async Task<string> InitTlsAsync(string name = "tls")
    {
        var directory = _directory.Combine(name);
        Assert.Equal(ExitCodes.Success, await new CliRun().RunAsync("init", "tls", "--out", directory, "--name", "head"));
        return directory;
    }
}
