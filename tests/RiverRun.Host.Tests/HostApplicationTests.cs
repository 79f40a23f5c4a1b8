using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

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
        var options = new HostOptions { Listen = $"127.0.0.1:{port}", HttpListen = "127.0.0.1:0", DataDirectory = _directory.Path };

        var exitCode = await HostApplication.RunAsync(options, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HostApplication.ExitStartupFailed, exitCode);
    }

    [Fact]
    public async Task Invalid_options_give_their_own_exit_code_without_starting()
    {
        var dataDirectory = Path.Combine(_directory.Path, "data");
        var options = new HostOptions { Listen = "not-an-address", HttpListen = "127.0.0.1:0", DataDirectory = dataDirectory };

        var exitCode = await HostApplication.RunAsync(options, CancellationToken.None);
        // Building already reads the listen address (WebApplication creates Kestrel), so it fails there.
        var error = Assert.Throws<OptionsValidationException>(() => HostApplication.Build(options));

        Assert.Equal(HostApplication.ExitInvalidOptions, exitCode);
        Assert.StartsWith("--listen: listen address 'not-an-address'", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_fails_the_start_with_exit_code_1()
    {
        var blocker = Path.Combine(_directory.Path, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var options = new HostOptions { Listen = "127.0.0.1:0", HttpListen = "127.0.0.1:0", DataDirectory = Path.Combine(blocker, "data") };

        var exitCode = await HostApplication.RunAsync(options, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await using var app = HostApplication.Build(options);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Equal(HostApplication.ExitStartupFailed, exitCode);
        Assert.StartsWith("the data directory cannot be created or written: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_host_stops_it_cleanly_with_exit_code_zero()
    {
        var options = new HostOptions { Listen = "127.0.0.1:0", HttpListen = "127.0.0.1:0", DataDirectory = _directory.Path };
        using var stop = new CancellationTokenSource();

        var running = HostApplication.RunAsync(options, stop.Token);
        // Whether the cancel lands before or after the server is up, it is a clean stop.
        await stop.CancelAsync();

        Assert.Equal(HostApplication.ExitOk, await running.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
