using Grpc.Core;
using Grpc.Net.Client;

namespace RiverRun.Contracts;

/// <summary>
/// Opens the gRPC channel a RiverRun process uses to reach the Host: one per process, shared by
/// every call (it pools the HTTP/2 connection). "http://" is HTTP/2 without TLS ("prior
/// knowledge"); "https://" is TLS with ALPN h2.
/// </summary>
public static class HostChannel
{
    /// <summary>A channel to the Host at <paramref name="address"/> (e.g. http://head:8700).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http:// or https:// URL.</exception>
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
            // growing one from 64 KiB while the first gigabyte goes by.
            InitialHttp2StreamWindowSize = OutputFlow.WindowBytes / 2,
        };

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
            channelOptions.Credentials = uri.Scheme == Uri.UriSchemeHttps
                ? ChannelCredentials.Create(ChannelCredentials.SecureSsl, callCredentials)
                : ChannelCredentials.Create(ChannelCredentials.Insecure, callCredentials);
            // grpc-dotnet refuses call credentials on plain http unless told; a Host without TLS is
            // accepted on loopback and trusted networks only, where sending the token is the point.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = uri.Scheme == Uri.UriSchemeHttp;
        }

        return GrpcChannel.ForAddress(uri, channelOptions);
    }
}
