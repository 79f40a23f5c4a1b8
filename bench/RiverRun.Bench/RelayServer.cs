using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiverRun.Contracts;
using RiverRun.Contracts.Tls;

namespace RiverRun.Bench;

/// <summary>
/// bench/relay-floor's server: Kestrel and grpc-dotnet set up as the Host sets them up for output
/// (src/RiverRun.Host/HostApplication.cs), serving <see cref="RelayService"/> on 127.0.0.1:PORT,
/// HTTP/2 only, with or without TLS. Prints "READY" on stdout once it listens; stops on SIGTERM
/// or Ctrl-C.
/// </summary>
internal static class RelayServer
{
    public static async Task<int> RunAsync(int port, bool tls, string? directory)
    {
        // Without --dir, a directory of its own, removed again on exit.
        var ownDirectory = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("riverrun-relay-").FullName;
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var certificate = tls ? CreateCertificate(directory) : null;
            await using var app = Build(port, certificate, directory);
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // A taken port: one line, not the stack trace (the script shows it).
                await Console.Error.WriteLineAsync($"riverrun-bench relay-server: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"READY {(tls ? "https" : "http")}://127.0.0.1:{port} dir={directory}{(tls ? $" ca={Path.Combine(directory, "ca.crt")}" : "")}"));
            Console.Out.Flush();
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            return 0;
        }
        finally
        {
            if (ownDirectory)
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static WebApplication Build(int port, X509Certificate2? certificate, string directory)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Warnings and errors only, and on stderr: stdout carries the READY line alone.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start is logged with its stack trace by the generic host; RunAsync says it in one line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            // No limit on a stream's size or pace: grpc-dotnet lifts both for streaming calls
            // anyway (so the Host has none either); said here so nothing else can stop a gigabyte.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            // The Host's HTTP/2 settings for output, to the value (HostApplication.ConfigureKestrel).
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(20);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Limits.Http2.InitialStreamWindowSize = OutputFlow.WindowBytes / 2;
            kestrel.Limits.Http2.InitialConnectionWindowSize = OutputFlow.WindowBytes;
        });
        // As the Host: read a connection's bytes without a zero-byte receive first (see HostApplication).
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MessageLimits.MaxRequestBytes;
            grpc.MaxSendMessageSize = MessageLimits.MaxResponseBytes;
        });
        // Stopped while streams run (the script interrupted), it goes at once instead of letting
        // them finish for up to the default 30 s.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton<RelayHandoffs>();
        builder.Services.AddSingleton(new RelayOptions(directory));
        var app = builder.Build();
        app.MapGrpcService<RelayService>();
        return app;
    }

    /// <summary>
    /// A CA and a server certificate for 127.0.0.1 and localhost, made as `riverrun init tls` makes
    /// them (ECDSA P-256), so the handshake and the cipher are the Host's; the CA goes to DIR/ca.crt
    /// for the producer's and consumer's --ca, checked by RiverRun's own certificate policy.
    /// </summary>
    private static X509Certificate2 CreateCertificate(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        using var authority = TlsCertificateFactory.CreateAuthority(
            TlsCertificateFactory.AuthorityName("127.0.0.1", now), now, TimeSpan.FromDays(1));
        using var server = TlsCertificateFactory.CreateHostCertificate(
            authority, TlsNames.LoopbackNames, TlsNames.LoopbackAddresses, now, TimeSpan.FromDays(1));
        File.WriteAllText(Path.Combine(directory, "ca.crt"), TlsCertificateFactory.CertificatePem(authority));
        // Through PEM, as the Host loads host.crt and host.key (HostCertificateFiles).
        return X509Certificate2.CreateFromPem(
            TlsCertificateFactory.CertificatePem(server), TlsCertificateFactory.PrivateKeyPem(server));
    }
}
