using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>Socket activation: the Host serves gRPC on a listening socket it was given instead of binding its own.</summary>
public sealed class SocketActivationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_Host_given_a_listening_socket_serves_gRPC_on_it_and_binds_nothing_itself()
    {
        // What riverrun-host.socket does: the socket listens (and queues clients) before the Host runs.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var options = new HostOptions { Listen = "127.0.0.1:1", DataDirectory = _directory.Path };
        await using var app = HostApplication.Build(options, args: null, services =>
        {
            services.AddLogging(logging => logging.ClearProviders());
            services.AddSingleton(new PassedListenSockets([(int)socket.Handle]));
        });
        await app.StartAsync();
        try
        {
            using var channel = HostChannel.Create($"http://127.0.0.1:{port}", new HostChannelOptions());

            var nodes = await new V1.Nodes.NodesClient(channel).ListAsync(new V1.ListNodesRequest());

            Assert.Empty(nodes.Nodes);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
