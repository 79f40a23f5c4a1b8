using System.Net;
using System.Net.Http.Headers;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The request body of a streaming call. HttpClient calls <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/>
/// once and sends END_STREAM when it returns, so it hands out the request stream and then stays pending
/// until the writer completes. Meanwhile the response arrives independently: full duplex over one request.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _requestStream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _requestEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
    }

    /// <summary>The HTTP/2 request stream, once HttpClient has opened it; faults when the call failed first.</summary>
    public Task<Stream> RequestStream => _requestStream.Task;

    /// <summary>Ends the request body.</summary>
    public void Complete() => _requestEnded.TrySetResult();

    /// <summary>The call failed: writers waiting for the stream get the call's error.</summary>
    public void Fail(Exception exception)
    {
        if (_requestStream.TrySetException(exception))
        {
            // Nobody may be waiting to observe it; that must not surface as an unobserved task exception.
            _ = _requestStream.Task.Exception;
        }

        _requestEnded.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // HttpClient may hold the request's HEADERS frame until the body is first written or
        // flushed; a call whose server speaks first would then wait on a request never sent.
        // Flush now (as grpc-dotnet does), before any writer can use the stream.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _requestStream.TrySetResult(stream);
        // HttpClient cancels this token when the call ends (response done, reset, or disposed).
        await _requestEnded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        // Unknown length: the body is sent as it is written.
        length = -1;
        return false;
    }
}
