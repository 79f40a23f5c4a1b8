using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using RiverRun.Contracts.Tls;

namespace RiverRun.Contracts;

/// <summary>
/// Opens the gRPC channel a RiverRun process uses to reach the Host: one per process, shared by
/// every call (it pools the HTTP/2 connection). "http://" is HTTP/2 without TLS ("prior
/// knowledge"); "https://" is TLS with ALPN h2, the Host's certificate checked by
/// <see cref="HostCertificatePolicy"/> against the CA file of <see cref="HostChannelOptions.TrustedCaFile"/>
/// or else the system trust store.
/// </summary>
public static class HostChannel
{
    /// <summary>A channel to the Host at <paramref name="address"/> (e.g. http://head:8700).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http:// or https:// URL.</exception>
    /// <exception cref="TlsSetupException">The CA file cannot be used, or one is given for a cleartext http:// address.</exception>
    public static GrpcChannel Create(string address, HostChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{address}' is not an absolute http:// or https:// URL.", nameof(address));
        }

        var handler = new SocketsHttpHandler
        {
            // One HTTP/2 connection carries about 100 concurrent streams; beyond that, open more.
            EnableMultipleHttp2Connections = true,
            // Ping while streams are open too: that is exactly when a vanished peer must be noticed.
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = options.ConnectTimeout,
            // Cluster traffic goes straight to the Host: an http_proxy meant for internet access on a
            // lab machine would swallow h2c.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // Output streams in (OutputFlow): start with a window that holds many chunks instead of
            // growing one from 64 KiB while the first gigabyte goes by. It still grows (up to 16 MiB)
            // with the measured bandwidth-delay product: keeping it fixed here (the AppContext switch
            // System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing) lowered a
            // client's peak RSS over 1 GB of `logs` from 47-54 to 40-42 MB, but cost 12 % more client
            // CPU and 26 % more wall time (5 alternating runs each), so it is not done.
            InitialHttp2StreamWindowSize = OutputFlow.WindowBytes / 2,
        };

        var tls = uri.Scheme == Uri.UriSchemeHttps;
        if (options.TrustedCaFile is { } caFile)
        {
            if (!tls)
            {
                // Trusting a CA over cleartext would protect nothing; the user surely meant https.
                throw new TlsSetupException(
                    $"{options.TrustedCaSource} {caFile} is given, but the Host address {address} is cleartext; use https://{uri.Authority} for a Host that serves TLS, or drop {options.TrustedCaSource} for one that does not");
            }
        }

        if (tls)
        {
            var trusted = options.TrustedCaFile is { } path ? TrustedCaFile.Load(path, options.TrustedCaSource) : null;
            var policy = new HostCertificatePolicy(uri.IdnHost, trusted, options.TrustedCaFile is { } file ? $"{options.TrustedCaSource} {file}" : null, options.Time);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    // SslStream passes an X509Certificate2 already; the copy is for any other kind.
                    var presented = certificate as X509Certificate2
                        ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    var others = chain?.ChainElements.Select(element => element.Certificate) ?? [];
                    // Thrown, not just refused: the reason then reaches the caller inside the call's failure.
                    return policy.Check(presented, others, errors) is { } reason ? throw new HostCertificateRefusedException(reason) : true;
                },
            };
        }

        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MessageLimits.MaxResponseBytes,
            MaxSendMessageSize = MessageLimits.MaxRequestBytes,
            // Cancelling a call through the caller's own token is not a failure of the call: it
            // surfaces as OperationCanceledException, like every other cancelled await.
            ThrowOperationCanceledOnCancellation = true,
        };

        if (options.BearerToken is { Length: > 0 } token)
        {
            var header = "Bearer " + token;
            var callCredentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", header);
                return Task.CompletedTask;
            });
            channelOptions.Credentials = tls
                ? ChannelCredentials.Create(ChannelCredentials.SecureSsl, callCredentials)
                : ChannelCredentials.Create(ChannelCredentials.Insecure, callCredentials);
            // grpc-dotnet refuses call credentials on plain http unless told; a Host without TLS is
            // accepted on loopback and trusted networks only, where sending the token is the point.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = !tls;
        }

        return GrpcChannel.ForAddress(uri, channelOptions);
    }
}
