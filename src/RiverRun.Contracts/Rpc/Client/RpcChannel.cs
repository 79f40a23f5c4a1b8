using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// A connection to one gRPC server: an HttpClient speaking HTTP/2 only. Create one per server and
/// share it (it is thread-safe and pools connections); typed clients are cheap wrappers over it.
/// "http://" addresses use HTTP/2 without TLS ("prior knowledge"); "https://" uses TLS with ALPN h2.
/// </summary>
public sealed class RpcChannel : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("riverrun-grpc", "1.0");
    private readonly string _baseAddress;
    private readonly KeyValuePair<string, string>[] _defaultHeaders;

    /// <summary>A channel to the server at <paramref name="address"/> (e.g. http://host:8700).</summary>
    public RpcChannel(Uri address, RpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"A gRPC address must be an absolute http:// or https:// URI, not '{address}'.", nameof(address));
        }

        options ??= new RpcChannelOptions();
        Address = address;
        _baseAddress = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        var headers = new List<KeyValuePair<string, string>>(options.DefaultHeaders);
        if (options.BearerToken is { Length: > 0 } token)
        {
            headers.Add(new("authorization", "Bearer " + token));
        }

        _defaultHeaders = [.. headers];
        var handler = new SocketsHttpHandler
        {
            // One HTTP/2 connection carries at most ~100 concurrent streams; beyond that, open more.
            EnableMultipleHttp2Connections = true,
            // Pings on idle connections, with open streams too, detect a vanished peer of a long-lived stream.
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            // Cluster traffic goes straight to the Host: an http_proxy meant for internet access on a
            // lab machine would otherwise swallow h2c. ConfigureHandler can turn it back on.
            UseProxy = false,
        };
        options.ConfigureHandler?.Invoke(handler);
        // Calls carry their own deadlines; HttpClient's 100 s default would cut long-lived streams.
        HttpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    internal HttpClient HttpClient { get; }

    internal int MaxReceiveMessageSize { get; }

    /// <summary>A channel to the server at <paramref name="address"/> (e.g. "http://host:8700").</summary>
    public static RpcChannel ForAddress(string address, RpcChannelOptions? options = null) =>
        new(new Uri(address, UriKind.Absolute), options);

    /// <summary>Calls a unary method.</summary>
    /// <exception cref="RpcException">The call ended with a status other than OK.</exception>
    /// <exception cref="OperationCanceledException">The caller's token cancelled it.</exception>
    public async Task<TResponse> UnaryCallAsync<TRequest, TResponse>(
        RpcMethod<TRequest, TResponse> method,
        TRequest request,
        RpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.Unary);
        ArgumentNullException.ThrowIfNull(request);
        using var call = new ClientCall<TRequest, TResponse>(this, method, options, options?.CancellationToken ?? default);
        await call.StartAsync(SingleMessageContent(request)).ConfigureAwait(false);
        var response = await call.ReadNextAsync(default).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, $"{method.Path} ended with OK but sent no response message.");
        if (await call.ReadNextAsync(default).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, $"{method.Path} sent more than one response message.");
        }

        return response;
    }

    /// <summary>
    /// Calls a server-streaming method. The call starts when enumeration starts and is cancelled if
    /// enumeration stops early; cancel it with the options' token or WithCancellation.
    /// </summary>
    public IAsyncEnumerable<TResponse> ServerStreamingCall<TRequest, TResponse>(
        RpcMethod<TRequest, TResponse> method,
        TRequest request,
        RpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.ServerStreaming);
        ArgumentNullException.ThrowIfNull(request);
        return ReadServerStream(method, request, options);
    }

    /// <summary>Starts a duplex-streaming call. Dispose the returned call when done with it.</summary>
    public DuplexStreamingCall<TRequest, TResponse> DuplexStreamingCall<TRequest, TResponse>(
        RpcMethod<TRequest, TResponse> method,
        RpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.DuplexStreaming);
        return new DuplexStreamingCall<TRequest, TResponse>(
            new ClientCall<TRequest, TResponse>(this, method, options, options?.CancellationToken ?? default));
    }

    /// <inheritdoc />
    public void Dispose() => HttpClient.Dispose();

    internal HttpRequestMessage CreateRequest(string path, RpcCallOptions? options, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _baseAddress + path)
        {
            Version = HttpVersion.Version20,
            // Exact: never fall back to HTTP/1.1, which cannot carry gRPC (no trailers, no duplex).
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        // Required by the spec; lets proxies that would drop trailers fail loudly instead.
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.UserAgent.Add(UserAgent);
        foreach (var (name, value) in _defaultHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (options?.Headers is { } headers)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (options?.Timeout is { } timeout && timeout < GrpcTimeout.MaxTimerDelay)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        return request;
    }

    private async IAsyncEnumerable<TResponse> ReadServerStream<TRequest, TResponse>(
        RpcMethod<TRequest, TResponse> method,
        TRequest request,
        RpcCallOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var optionsToken = options?.CancellationToken ?? default;
        using var linked = optionsToken.CanBeCanceled && cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(optionsToken, cancellationToken)
            : null;
        var callerToken = linked?.Token ?? (cancellationToken.CanBeCanceled ? cancellationToken : optionsToken);
        using var call = new ClientCall<TRequest, TResponse>(this, method, options, callerToken);
        await call.StartAsync(SingleMessageContent(request)).ConfigureAwait(false);
        while (await call.ReadNextAsync(default).ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    private static ByteArrayContent SingleMessageContent(IMessage request)
    {
        var content = new ByteArrayContent(MessageFraming.ToFrame(request));
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        return content;
    }

    private static void RequireKind<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, MethodKind kind)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Kind != kind)
        {
            throw new ArgumentException($"{method.Path} is a {method.Kind} method, not {kind}.", nameof(method));
        }
    }
}
