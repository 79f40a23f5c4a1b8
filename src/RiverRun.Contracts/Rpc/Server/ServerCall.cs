using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// One gRPC call on the server: checks the request is gRPC, sets up the deadline, runs the handler,
/// turns its outcome into a status and sends that status (in trailers, or trailers-only when no
/// message was sent). Handlers never see this type; they get <see cref="RpcCallContext"/>, a reader
/// and a writer built on it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The write lock never allocates a wait handle, so it holds nothing to free.")]
internal sealed class ServerCall
{
    private readonly HttpContext _http;
    // Serializes writes, and the final status after them. Not disposed: it never allocates a wait
    // handle, so there is nothing to free.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _finished;
    private volatile bool _responseStarted;

    private ServerCall(HttpContext http, RpcCallContext context, int maxReceiveMessageSize)
    {
        _http = http;
        Context = context;
        MaxReceiveMessageSize = maxReceiveMessageSize;
    }

    public RpcCallContext Context { get; }

    public int MaxReceiveMessageSize { get; }

    public PipeReader RequestBody => _http.Request.BodyReader;

    public static async Task HandleAsync(
        HttpContext http,
        string method,
        MethodKind kind,
        RpcServerOptions options,
        ILogger logger,
        Func<ServerCall, Task> invoke)
    {
        var request = http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            Reject(http, logger, method, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2.");
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            Reject(http, logger, method, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported; gRPC needs application/grpc.");
            return;
        }

        RelaxLimitsMeantForOrdinaryRequests(http, kind);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        // Tells the client which encodings we accept, as the spec asks; we only speak identity.
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;

        TimeSpan? timeout = null;
        string? encoding = request.Headers[GrpcProtocol.EncodingHeader];
        string? timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader];
        string? refusal = null;
        var refusalCode = StatusCode.OK;
        if (!string.IsNullOrEmpty(encoding) && encoding != GrpcProtocol.IdentityEncoding)
        {
            (refusalCode, refusal) = (StatusCode.Unimplemented, $"Message encoding '{encoding}' is not supported; only identity is.");
        }
        else if (!string.IsNullOrEmpty(timeoutHeader))
        {
            if (GrpcTimeout.TryParse(timeoutHeader, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                (refusalCode, refusal) = (StatusCode.Internal, $"Malformed grpc-timeout '{timeoutHeader}'.");
            }
        }

        // A deadline too far away for a timer is as good as none.
        var hasDeadline = timeout is { } t && t < GrpcTimeout.MaxTimerDelay;
        using var deadlineSource = hasDeadline ? new CancellationTokenSource(timeout!.Value) : null;
        using var callSource = CancellationTokenSource.CreateLinkedTokenSource(
            http.RequestAborted,
            deadlineSource?.Token ?? CancellationToken.None);
        DateTimeOffset? deadline = hasDeadline ? DateTimeOffset.UtcNow + timeout!.Value : null;
        var call = new ServerCall(http, new RpcCallContext(http, method, deadline, callSource.Token), options.MaxReceiveMessageSize);

        if (refusal is not null)
        {
            RpcServerLog.Rejected(logger, method, refusal);
            await call.FinishAsync(refusalCode, refusal).ConfigureAwait(false);
            return;
        }

        var (status, detail) = await RunHandlerAsync(call, http, deadlineSource, logger, method, invoke).ConfigureAwait(false);
        await call.FinishAsync(status, detail).ConfigureAwait(false);
    }

    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        using var linked = Link(cancellationToken, out var token);
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_finished)
            {
                throw new InvalidOperationException($"The call {Context.Method} has finished; its response stream is closed.");
            }

            token.ThrowIfCancellationRequested();
            var writer = _http.Response.BodyWriter;
            MessageFraming.WriteMessage(writer, message);
            _responseStarted = true;
            // Flushing each message is what makes streamed output live: Kestrel sends a DATA frame now.
            var flush = await writer.FlushAsync(token).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                throw new OperationCanceledException($"The client of {Context.Method} is gone.", token);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        using var linked = Link(cancellationToken, out var token);
        return await MessageFraming.ReadMessageAsync(RequestBody, parser, MaxReceiveMessageSize, token).ConfigureAwait(false);
    }

    /// <summary>The request of a unary or server-streaming call: exactly one message, then the end.</summary>
    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var request = await ReadMessageAsync(parser, default).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, $"The request to {Context.Method} ended without a message.");
        if (await ReadMessageAsync(parser, default).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, $"The request to {Context.Method} has more than one message.");
        }

        return request;
    }

    private static async Task<(StatusCode Status, string Detail)> RunHandlerAsync(
        ServerCall call,
        HttpContext http,
        CancellationTokenSource? deadlineSource,
        ILogger logger,
        string method,
        Func<ServerCall, Task> invoke)
    {
        try
        {
            await invoke(call).ConfigureAwait(false);
            if (deadlineSource?.IsCancellationRequested == true)
            {
                // The handler finished, but too late: the client has stopped waiting for it.
                RpcServerLog.DeadlineExceeded(logger, method);
                return (StatusCode.DeadlineExceeded, "Deadline exceeded.");
            }

            return (StatusCode.OK, "");
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // Whatever the handler threw, the cause is that the client left; nobody will read a status.
            RpcServerLog.CancelledByClient(logger, method);
            return (StatusCode.Cancelled, "The call was cancelled by the client.");
        }
        catch (RpcException ex)
        {
            RpcServerLog.Failed(logger, method, ex.StatusCode, ex.Detail);
            return (ex.StatusCode, ex.Detail);
        }
        catch (OperationCanceledException) when (deadlineSource?.IsCancellationRequested == true)
        {
            RpcServerLog.DeadlineExceeded(logger, method);
            return (StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (Exception ex)
        {
            // Never send exception text to clients: it can hold paths, SQL, secrets. The log has it.
            RpcServerLog.HandlerFailed(logger, method, ex);
            return (StatusCode.Internal, "Exception was thrown by handler.");
        }
    }

    /// <summary>Kestrel's defaults suit page requests, not gRPC: a 30 MB body cap would end a Runner's
    /// long-lived stream, and a minimum body data rate would kill a request stream that is quiet
    /// between messages. Our own per-message limit replaces the first.</summary>
    private static void RelaxLimitsMeantForOrdinaryRequests(HttpContext http, MethodKind kind)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        if (kind is MethodKind.ClientStreaming or MethodKind.DuplexStreaming
            && http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } dataRate)
        {
            dataRate.MinDataRate = null;
        }

        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static void Reject(HttpContext http, ILogger logger, string method, int httpStatus, string detail)
    {
        RpcServerLog.Rejected(logger, method, detail);
        var response = http.Response;
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(StatusCode.Internal);
        response.Headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(detail);
    }

    private async Task FinishAsync(StatusCode status, string detail)
    {
        // Under the write lock: a write still in flight (from a task the handler did not await) must
        // end before the status goes out, and none may start after: the HttpContext is reused later.
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _finished = true;
            if (!_http.RequestAborted.IsCancellationRequested)
            {
                SendStatus(status, detail);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void SendStatus(StatusCode status, string detail)
    {
        var response = _http.Response;
        if (!_responseStarted && !response.HasStarted)
        {
            // Trailers-only: with no message sent, the status goes in the headers and the stream
            // ends with them (Kestrel sets END_STREAM on a HEADERS frame when there is no body).
            response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(status);
            if (detail.Length > 0)
            {
                response.Headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(detail);
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, GrpcProtocol.FormatStatus(status));
        if (detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, StatusMessageEncoding.Encode(detail));
        }
    }

    /// <summary>A token cancelled by the caller's token or by the call's own (client gone, deadline).</summary>
    private CancellationTokenSource? Link(CancellationToken cancellationToken, out CancellationToken token)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            token = Context.CancellationToken;
            return null;
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Context.CancellationToken);
        token = linked.Token;
        return linked;
    }
}
