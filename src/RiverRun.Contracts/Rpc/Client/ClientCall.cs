using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// One call on the client: sends the HTTP/2 request, checks the response is gRPC, reads response
/// messages, and turns the grpc-status (trailers, or headers for trailers-only) into success or an
/// RpcException. Owns the call's cancellation: the caller's token, the deadline, and disposal.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly RpcChannel _channel;
    private readonly RpcMethod<TRequest, TResponse> _method;
    private readonly RpcCallOptions? _options;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly CancellationTokenSource _callSource;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private PipeReader? _body;
    // Written by the reader, read by writers to explain why a write failed.
    private volatile RpcException? _finalError;
    private bool _ended;
    private bool _disposed;

    public ClientCall(RpcChannel channel, RpcMethod<TRequest, TResponse> method, RpcCallOptions? options, CancellationToken callerToken)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _callerToken = callerToken;
        if (options?.Timeout is { } timeout && timeout > TimeSpan.Zero && timeout < GrpcTimeout.MaxTimerDelay)
        {
            _deadlineSource = new CancellationTokenSource(timeout);
        }

        _callSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _deadlineSource?.Token ?? CancellationToken.None);
    }

    /// <summary>Cancelled by the caller's token, the deadline, or disposal.</summary>
    public CancellationToken CallToken => _callSource.Token;

    /// <summary>Sends the request and waits for the response headers.</summary>
    public async Task StartAsync(HttpContent content)
    {
        try
        {
            if (_options?.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started.");
            }

            _request = _channel.CreateRequest(_method.Path, _options, content);
            _response = await _channel.HttpClient
                .SendAsync(_request, HttpCompletionOption.ResponseHeadersRead, _callSource.Token)
                .ConfigureAwait(false);
            CheckResponseHeaders(_response);
            if (!_ended)
            {
                var stream = await _response.Content.ReadAsStreamAsync(_callSource.Token).ConfigureAwait(false);
                _body = PipeReader.Create(stream);
            }
        }
        catch (Exception ex)
        {
            var error = MapException(ex);
            (content as StreamingRequestContent)?.Fail(error);
            throw error;
        }
    }

    /// <summary>The next response message, or null when the call ended with OK.</summary>
    /// <exception cref="RpcException">The call ended with another status.</exception>
    public async Task<TResponse?> ReadNextAsync(CancellationToken cancellationToken)
    {
        if (!_ended)
        {
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callSource.Token)
                : null;
            try
            {
                var message = await MessageFraming.ReadMessageAsync(
                    _body!,
                    _method.ResponseParser,
                    _channel.MaxReceiveMessageSize,
                    linked?.Token ?? _callSource.Token).ConfigureAwait(false);
                if (message is not null)
                {
                    return message;
                }
            }
            catch (Exception ex)
            {
                throw MapException(ex, cancellationToken);
            }

            // The body ended: the trailers are in now.
            _ended = true;
            var headers = _response!.TrailingHeaders;
            _finalError = headers.TryGetValues(GrpcProtocol.StatusHeader, out var statuses)
                ? ErrorFromStatus(statuses.FirstOrDefault(), First(headers, GrpcProtocol.MessageHeader))
                : new RpcException(StatusCode.Internal, $"The response from {_channel.Address} ended without a grpc-status trailer.");
        }

        return _finalError is null ? null : throw _finalError;
    }

    /// <summary>The status a finished call ended with (null while it runs or when it ended OK).</summary>
    public RpcException? FinalError => _finalError;

    /// <summary>Translates any failure during the call into what the caller should see.</summary>
    public Exception MapException(Exception exception, CancellationToken operationToken = default)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        if (_callerToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The call {_method.Path} was cancelled.", exception, _callerToken);
        }

        if (operationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The call {_method.Path} was cancelled.", exception, operationToken);
        }

        if (_deadlineSource?.IsCancellationRequested == true)
        {
            return new RpcException(StatusCode.DeadlineExceeded, $"Deadline exceeded calling {_method.Path}.", exception);
        }

        if (_callSource.IsCancellationRequested)
        {
            return new RpcException(StatusCode.Cancelled, $"The call {_method.Path} was disposed.", exception);
        }

        return ClientErrors.FromTransportException(exception, _channel.Address);
    }

    /// <summary>Cancels the call (the HTTP/2 stream is reset) without freeing it yet.</summary>
    public void Cancel()
    {
        if (!_disposed)
        {
            _callSource.Cancel();
        }
    }

    /// <summary>Aborts the call if it still runs (HttpClient resets the HTTP/2 stream) and frees it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _callSource.Cancel();
        _response?.Dispose();
        _request?.Dispose();
        _callSource.Dispose();
        _deadlineSource?.Dispose();
    }

    private void CheckResponseHeaders(HttpResponseMessage response)
    {
        var status = First(response.Headers, GrpcProtocol.StatusHeader);
        if (status is not null)
        {
            // Trailers-only: the status came with the headers and there is no body to read.
            _ended = true;
            _finalError = ErrorFromStatus(status, First(response.Headers, GrpcProtocol.MessageHeader));
            if (response.StatusCode == HttpStatusCode.OK || _finalError is not null)
            {
                return;
            }
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw ClientErrors.FromHttpStatus(response.StatusCode, _channel.Address);
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(
                StatusCode.Internal,
                $"The response from {_channel.Address} is not gRPC (Content-Type '{contentType}').");
        }
    }

    private static RpcException? ErrorFromStatus(string? status, string? message)
    {
        var code = GrpcProtocol.ParseStatus(status);
        return code == StatusCode.OK ? null : new RpcException(code, StatusMessageEncoding.Decode(message));
    }

    private static string? First(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
