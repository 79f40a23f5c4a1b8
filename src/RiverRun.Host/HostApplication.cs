using RiverRun.Systemd;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Services;
using RiverRun.Host.Storage;
using RiverRun.Host.Tls;

namespace RiverRun.Host;

/// <summary>The Host service: what <c>riverrun host</c> runs.</summary>
public static class HostApplication
{
    /// <summary>Exit code of a clean stop.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when the Host could not start (port in use, database unusable, ...).</summary>
    public const int ExitStartupFailed = 1;

    /// <summary>Exit code for invalid options.</summary>
    public const int ExitInvalidOptions = 2;

    /// <summary>
    /// Builds the Host (not started): Kestrel on <see cref="HostOptions.Listen"/> with HTTP/2 only
    /// (over TLS with <see cref="HostOptions.TlsCertificate"/>, else h2c), the Tasks, Nodes and Runners services, gRPC health and reflection, state under <see cref="HostOptions.DataDirectory"/>.
    /// Invalid options throw <see cref="OptionsValidationException"/> listing every problem: here already,
    /// because building reads the listen address (WebApplication creates Kestrel while it is built),
    /// and in any case from StartAsync (ValidateOnStart).
    /// </summary>
    public static WebApplication Build(HostOptions options, string[]? args = null) => Build(options, args, configureServices: null);

    /// <summary>
    /// Runs the Host until <paramref name="cancellationToken"/> is cancelled or the process is asked to
    /// stop (SIGTERM, Ctrl+C). Returns 0 after a clean stop, 2 for invalid options, 1 when it could not
    /// start; failures are logged and written to stderr as one line.
    /// </summary>
    public static async Task<int> RunAsync(HostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        OpenFileLimit.RaiseToHardLimit();
        WebApplication app;
        try
        {
            app = Build(options);
        }
        catch (OptionsValidationException ex)
        {
            return await ReportInvalidOptionsAsync(ex);
        }

        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostApplication).FullName!);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                return await ReportInvalidOptionsAsync(ex);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitOk;
            }
            catch (ListenRefusedException ex)
            {
                // Exit 2 like any invalid configuration: RestartPreventExitStatus=2 keeps systemd
                // from starting it again and again until someone fixes it.
                var message = "riverrun host: " + ex.Message;
                HostLog.StartupFailed(logger, message);
                await Console.Error.WriteLineAsync(message);
                return ExitInvalidOptions;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // Kestrel reports a taken port as an IOException whose message names the address.
                var message = $"riverrun host: could not start on {options.Listen} (gRPC) and {options.HttpListen} (HTTP) with data in {options.DataDirectory}: {ex.Message}";
                HostLog.StartupFailed(logger, message);
                await Console.Error.WriteLineAsync(message);
                return ExitStartupFailed;
            }

            var dataDirectory = Path.GetFullPath(options.DataDirectory);
            var protocol = options.TlsConfigured ? "HTTP/2 over TLS" : "cleartext HTTP/2";
            if (app.Services.GetRequiredService<PassedListenSockets>().Descriptors is [var descriptor, ..])
            {
                HostLog.StartedOnPassedSocket(logger, descriptor, options.Listen, protocol, dataDirectory);
            }
            else
            {
                HostLog.Started(logger, options.Listen, protocol, dataDirectory);
            }

            // Type=notify: systemctl start returns now that gRPC is served and the store is open.
            app.Services.GetRequiredService<ISystemdNotifier>().Notify(ServiceState.Ready);
            if (app.Services.GetRequiredService<HostListeners>().Http is { } http)
            {
                HostLog.ServingHealthAndMetrics(logger, http);
            }

            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Asked to stop by the caller: a clean stop follows.
            }

            await app.StopAsync(CancellationToken.None);
            HostLog.Stopped(logger);
            return ExitOk;
        }
    }

    private static async Task<int> ReportInvalidOptionsAsync(OptionsValidationException ex)
    {
        await Console.Error.WriteLineAsync($"riverrun host: invalid configuration: {string.Join("; ", ex.Failures)}");
        return ExitInvalidOptions;
    }

    /// <summary>As <see cref="Build(HostOptions, string[])"/>, letting tests replace services (a clock, shorter timings).</summary>
    internal static WebApplication Build(HostOptions options, string[]? args, Action<IServiceCollection>? configureServices)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            // Not the working directory: an appsettings.json wherever `riverrun host` was started must not change it.
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging);
        // Through IOptions, so the listen address is validated (with every other option) before it is used.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<HostOptions>, HostListeners, PassedListenSockets, ConnectionLimits, TimeProvider>(
                (kestrel, host, listeners, sockets, limits, time) => ConfigureKestrel(kestrel, host.Value, listeners, sockets, limits, time));
        // Read a connection's bytes as soon as they are there. By default the socket transport first
        // waits for data with a zero-byte receive (a 1-byte MSG_PEEK on Linux) and only then takes
        // a 4 KiB block to receive into: two system calls per 4 KiB, about 490,000 per gigabyte of a
        // Runner's output. Without the wait, an idle connection holds one 4 KiB block instead.
        // UnsafePreferInlineScheduling (running the connection's work on the socket thread) was
        // measured and left off: on 1 GB through `run` (TLS, sandbox, 2 alternating runs each)
        // the Host switched threads more (132-142k against 80-100k) and the run took 11.3-12.5 s
        // against 8.8-8.9 s; it would also put SQLite's synchronous writes on socket threads.
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
        builder.Services.AddRiverRunHost(options);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        // Explicit routing, so the listener check sees which endpoint a request matched.
        app.UseRouting();
        app.UseListenerSeparation();
        app.MapGrpcService<TasksService>();
        app.MapGrpcService<NodesService>();
        app.MapGrpcService<RunnersService>();
        app.MapGrpcService<TokensService>();
        // Standard tooling (grpcurl, grpc_health_probe, load balancers) works against the Host.
        app.MapGrpcHealthChecksService();
        app.MapGrpcService<ReflectionService>();
        // Mapped even with --http-listen none: then no request can arrive on the HTTP endpoint and
        // the listener check refuses them on the gRPC port.
        app.MapMonitoringEndpoints();
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, HostOptions options, HostListeners listeners, PassedListenSockets sockets, ConnectionLimits limits, TimeProvider time)
    {
        kestrel.AddServerHeader = false;
        // Read once, here; the validator has already refused files that do not load.
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
        if (options.TlsCertificate is { } certificatePath && options.TlsKey is { } keyPath
            && !HostCertificateFiles.TryLoad(certificatePath, keyPath, time.GetUtcNow(), out certificate, out var tlsError))
        {
            throw new HostConfigurationException(tlsError);
        }

        // HTTP/2 only: without TLS it needs "prior knowledge" (h2c); with TLS, ALPN offers h2 alone.
        // Also on a socket systemd passed: TLS is a property of the endpoint, not of who bound it.
        void Grpc(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }

            listeners.SetGrpc(listen);
        }

        if (sockets.Descriptors.Count > 0)
        {
            // Socket activation: systemd holds the listening socket (riverrun-host.socket) and
            // passed it in; clients that connected while the Host started are already queued on it.
            kestrel.ListenHandle((ulong)sockets.Descriptors[0], Grpc);
        }
        else
        {
            kestrel.Listen(ListenAddress.Parse(options.Listen), Grpc);
        }

        if (HttpListenAddress.TryParse(options.HttpListen, out var http, out var error) && http is not null)
        {
            // HTTP/1.1 only: what curl, Prometheus and load balancers' probes speak without TLS.
            kestrel.Listen(http, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listeners.SetHttp(listen);
            });
        }
        else if (error is not null)
        {
            throw new HostConfigurationException(error);
        }

        // Pings on idle connections find Runners that vanished without closing their stream
        // (power loss, network cut), so their node is marked disconnected.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(20);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
        // Idle connections and slow headers are let go after a bound (see ConnectionLimits).
        limits.ApplyTo(kestrel.Limits);
        // A Runner's output arrives with a window of chunks in flight (OutputFlow): HTTP/2 windows
        // of half of it keep the stream from stopping for window updates.
        // Limits.Http2.MaxFrameSize is left at 16 KiB on purpose: it only bounds the frames Kestrel
        // accepts, and SocketsHttpHandler (the Runner's and the client's side) always sends DATA
        // frames of at most 16 KiB and never asks for bigger ones, so raising it changes neither hop.
        kestrel.Limits.Http2.InitialStreamWindowSize = Contracts.OutputFlow.WindowBytes / 2;
        kestrel.Limits.Http2.InitialConnectionWindowSize = Contracts.OutputFlow.WindowBytes;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        // systemd sets INVOCATION_ID for the processes of a unit: log in the journal's format there.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID")))
        {
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }

        // ASP.NET Core logs every request at Information: one per CLI call, which drowns the
        // Host's own messages in the journal. Its warnings and errors still show.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The generic host logs a failed start with a full stack trace; RunAsync reports it in one line.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
    }
}
