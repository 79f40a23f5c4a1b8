using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Net.Client;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>The real Host (Kestrel, HTTP/2, SQLite) on 127.0.0.1 with a free port, and clients for it.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri address, Uri? httpAddress)
    {
        _app = app;
        HttpAddress = httpAddress;
        GrpcAddress = address;
        // The channel the CLI and Runners use: same limits, keep-alive and cancellation behaviour.
        Channel = HostChannel.Create(address.ToString(), new HostChannelOptions());
        Tasks = new V1.Tasks.TasksClient(Channel);
        Nodes = new V1.Nodes.NodesClient(Channel);
        Runners = new V1.Runners.RunnersClient(Channel);
    }

    public GrpcChannel Channel { get; }

    /// <summary>The gRPC endpoint (HTTP/2).</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The plain HTTP endpoint of /healthz and /metrics; null when started with it off.</summary>
    public Uri? HttpAddress { get; }

    public V1.Tasks.TasksClient Tasks { get; }

    public V1.Nodes.NodesClient Nodes { get; }

    public V1.Runners.RunnersClient Runners { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a Host; with <paramref name="clock"/>, that clock drives its timers (node loss) and timestamps.</summary>
    public static async Task<TestHost> StartAsync(
        string dataDirectory, TimeProvider? clock = null, TimeSpan? nodeLostAfter = null, Action<IServiceCollection>? configure = null, bool http = true)
    {
        var options = new HostOptions
        {
            Listen = "127.0.0.1:0",
            HttpListen = http ? "127.0.0.1:0" : HttpListenAddress.None,
            DataDirectory = dataDirectory,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            NodeLostAfter = nodeLostAfter ?? new HostOptions().NodeLostAfter,
        };
        var app = HostApplication.Build(options, args: null, services =>
        {
            // Quiet test output, and no test waits 30 s for a stream it left open.
            services.AddLogging(logging => logging.ClearProviders());
            services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            services.AddSingleton(new HostTimings
            {
                HeartbeatInterval = options.HeartbeatInterval,
                CommandTimeout = TimeSpan.FromSeconds(5),
                NodeLostAfter = options.NodeLostAfter,
            });
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }

            configure?.Invoke(services);
        });
        await app.StartAsync();
        // The bound ports, also where port 0 asked for any free one (see HostListeners).
        var listeners = app.Services.GetRequiredService<HostListeners>();
        var httpAddress = listeners.Http is { } httpEndpoint ? new Uri($"http://{httpEndpoint}/") : null;
        return new TestHost(app, new Uri($"http://{listeners.Grpc}/"), httpAddress);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
