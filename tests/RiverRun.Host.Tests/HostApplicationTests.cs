using System.Net;
using System.Net.Sockets;

namespace RiverRun.Host.Tests;

public sealed class HostApplicationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Running_on_a_port_already_in_use_fails_with_a_non_zero_exit_code()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var options = new HostOptions { Listen = $"127.0.0.1:{port}", DataDirectory = _directory.Path };

        var exitCode = await HostApplication.RunAsync(options, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HostApplication.ExitStartupFailed, exitCode);
    }

    [Fact]
    public async Task Invalid_options_give_their_own_exit_code_without_starting()
    {
        var options = new HostOptions { Listen = "not-an-address", DataDirectory = _directory.Path };

        var exitCode = await HostApplication.RunAsync(options, CancellationToken.None);

        Assert.Equal(HostApplication.ExitInvalidOptions, exitCode);
        Assert.Throws<HostConfigurationException>(() => HostApplication.Build(options));
    }

    [Fact]
    public async Task Cancelling_a_running_host_stops_it_cleanly_with_exit_code_zero()
    {
        var options = new HostOptions { Listen = "127.0.0.1:0", DataDirectory = _directory.Path };
        using var stop = new CancellationTokenSource();

        var running = HostApplication.RunAsync(options, stop.Token);
        // Whether the cancel lands before or after the server is up, it is a clean stop.
        await stop.CancelAsync();

        Assert.Equal(HostApplication.ExitOk, await running.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
