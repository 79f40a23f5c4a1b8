using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tls;

/// <summary>
/// Applies <see cref="ListenExposurePolicy"/> when the Host starts, before the server accepts its
/// first connection (user hosted services start before the web server in ASP.NET Core): finds
/// where gRPC will be listening — the configured address, or the socket systemd passed — and
/// whether TLS and any token exist, then refuses (<see cref="ListenRefusedException"/>, exit 2)
/// or warns.
/// </summary>
internal sealed partial class ListenExposureGuard(
    IOptions<HostOptions> options, PassedListenSockets sockets, SqliteTokenStore tokens, ILogger<ListenExposureGuard> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var host = options.Value;
        var listening = sockets.Descriptors is [var descriptor, ..] ? LocalEndPoint(descriptor) : ListenAddress.Parse(host.Listen);
        var decision = ListenExposurePolicy.Decide(listening, host.TlsConfigured, await tokens.AnyAsync(cancellationToken).ConfigureAwait(false), host.Insecure);
        if (decision.Refusal is { } refusal)
        {
            throw new ListenRefusedException(refusal);
        }

        if (decision.Warning is { } warning)
        {
            LogInsecure(logger, warning);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The socket systemd bound (riverrun-host.socket's ListenStream=), which may differ from --listen.
    private static IPEndPoint LocalEndPoint(int descriptor)
    {
        using var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: false));
        return socket.LocalEndPoint as IPEndPoint
            ?? throw new ListenRefusedException($"the socket systemd passed (file descriptor {descriptor}) is not a TCP socket; riverrun-host.socket needs ListenStream=ADDRESS:PORT");
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogInsecure(ILogger logger, string warning);
}
