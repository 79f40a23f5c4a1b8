using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// A running duplex call: write requests to <see cref="RequestStream"/> and read responses from
/// <see cref="ResponseStream"/>, independently and at the same time. Dispose it to end the call; a call
/// disposed while still running is cancelled (the server's handler sees its token cancelled).
/// </summary>
/// <typeparam name="TRequest">What the client sends.</typeparam>
/// <typeparam name="TResponse">What the server sends.</typeparam>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IDisposable, IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly ClientRequestWriter<TRequest, TResponse> _writer;

    internal DuplexStreamingCall(ClientCall<TRequest, TResponse> call)
    {
        _call = call;
        var content = new StreamingRequestContent();
        _writer = new ClientRequestWriter<TRequest, TResponse>(call, content);
        // The request goes out now; its headers and first message need not wait for the server's answer.
        var started = call.StartAsync(content);
        _ = started.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        ResponseStream = new ClientResponseReader<TRequest, TResponse>(call, started);
    }

    /// <summary>Where requests are written; <see cref="IClientStreamWriter{T}.CompleteAsync"/> ends it.</summary>
    public IClientStreamWriter<TRequest> RequestStream => _writer;

    /// <summary>The server's messages; MoveNext returns false once the server ended the call with OK.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
