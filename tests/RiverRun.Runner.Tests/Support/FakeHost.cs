using System.Net;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Tests;

/// <summary>
/// A Host that speaks just enough of the Runners service: answers Register with a configurable
/// Registered, records everything the Runner sends, and sends the commands a test queues. It is
/// real Kestrel on 127.0.0.1 over HTTP/2, as the Host will be.
/// </summary>
internal sealed class FakeHost : Runners.RunnersBase, IAsyncDisposable
{
    private readonly Channel<RunnerMessage> _received = Channel.CreateUnbounded<RunnerMessage>();
    private readonly Channel<HostMessage> _commands = Channel.CreateUnbounded<HostMessage>();
    private WebApplication? _app;

    private FakeHost(Registered registered)
    {
        Registered = registered;
    }

    public Registered Registered { get; }

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Starts a fake Host on <paramref name="port"/> (0 for any free port).</summary>
    public static async Task<FakeHost> StartAsync(int port = 0, Registered? registered = null)
    {
        var host = new FakeHost(registered ?? new Registered { HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        // The Runner's stream stays open: a stop must cut it quickly, as a crashing Host would.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
        builder.Services.AddSingleton(host);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeHost>();
        await app.StartAsync();
        host._app = app;
        host.Address = new Uri(app.Urls.Single());
        return host;
    }

    public void Send(HostMessage message) => _commands.Writer.TryWrite(message);

    /// <summary>The next message of the given kind, skipping others (heartbeats arrive all the time).</summary>
    public async Task<RunnerMessage> NextAsync(RunnerMessage.MessageOneofCase kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(timeout.Token);
            if (message.MessageCase == kind)
            {
                return message;
            }
        }
    }

    public override async Task Connect(IAsyncStreamReader<RunnerMessage> requestStream, IServerStreamWriter<HostMessage> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken))
        {
            return;
        }

        _received.Writer.TryWrite(requestStream.Current);
        await responseStream.WriteAsync(new HostMessage { Registered = Registered }, cancellationToken);
        var sending = Task.Run(
            async () =>
            {
                await foreach (var command in _commands.Reader.ReadAllAsync(cancellationToken))
                {
                    await responseStream.WriteAsync(command, cancellationToken);
                }
            },
            cancellationToken);
        while (await requestStream.MoveNext(cancellationToken))
        {
            _received.Writer.TryWrite(requestStream.Current);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
