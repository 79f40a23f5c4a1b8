using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>The response stream of a duplex call; waits for the response headers before the first read.</summary>
internal sealed class ClientResponseReader<TRequest, TResponse>(ClientCall<TRequest, TResponse> call, Task started) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("No message has been read; call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        try
        {
            await started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!started.IsCompleted)
        {
            // As with a cancelled read (HttpClient resets the stream then), cancelling ends the call.
            call.Cancel();
            throw call.MapException(ex, cancellationToken);
        }

        _current = await call.ReadNextAsync(cancellationToken).ConfigureAwait(false);
        return _current is not null;
    }
}
