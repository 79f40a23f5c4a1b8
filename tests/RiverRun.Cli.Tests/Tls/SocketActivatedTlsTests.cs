using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>
/// The Host on a socket systemd passed it (systemd-socket-activate, as riverrun-host.socket does):
/// TLS is served there too, and where that socket listens — not --listen — decides whether it may.
/// </summary>
public sealed class SocketActivatedTlsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_passed_loopback_socket_serves_TLS_to_a_client_with_the_CA()
    {
        var tls = _directory.Combine("tls");
        Assert.Equal(ExitCodes.Success, await new CliRun().RunAsync("init", "tls", "--out", tls, "--name", "head"));
        var port = HostProcess.FreePort();
        await using var host = await HostProcess.StartSocketActivatedAsync(
            $"127.0.0.1:{port}", "--http-listen", "none", "--data-dir", _directory.Combine("data"),
            "--tls-cert", Path.Join(tls, "host.crt"), "--tls-key", Path.Join(tls, "host.key"));
        await host.ConnectOnceAsync();
        var started = await host.WaitForOutputAsync("Host started: serving gRPC on the socket systemd passed");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("--host", $"https://localhost:{port}", "--ca", Path.Join(tls, "ca.crt"), "nodes");

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}: {cli.Stderr}\n{host.Output}");
        Assert.StartsWith("NAME", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("serving gRPC on the socket systemd passed (file descriptor 3; configured listen address 127.0.0.1:8700; HTTP/2 over TLS)", started, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passed_socket_on_all_interfaces_is_refused_without_TLS_and_tokens_whatever_listen_says()
    {
        var port = HostProcess.FreePort();
        await using var host = await HostProcess.StartSocketActivatedAsync($"0.0.0.0:{port}", "--listen", "127.0.0.1:8700", "--http-listen", "none", "--data-dir", _directory.Combine("data"));

        await host.ConnectOnceAsync();

        Assert.Equal(2, await host.WaitForExitAsync());
        Assert.Contains($"riverrun host: refusing to listen on 0.0.0.0:{port}, beyond loopback: TLS is not configured", host.Output, StringComparison.Ordinal);
    }
}
