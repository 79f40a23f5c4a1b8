using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>The request stream of a duplex call: frames each message onto the HTTP/2 request body and flushes it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The write lock never allocates a wait handle, so it holds nothing to free; disposing it would break a write racing the call's disposal.")]
internal sealed class ClientRequestWriter<TRequest, TResponse>(ClientCall<TRequest, TResponse> call, StreamingRequestContent content)
    : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    // gRPC forbids interleaving two messages on one stream; serialize writers instead of trusting callers.
    // Never disposed: it allocates no wait handle, and a write racing the call's disposal may still release it.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _completed;

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CallToken);
        try
        {
            await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw call.MapException(ex, cancellationToken);
        }

        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("The request stream was completed; no more messages can be written.");
            }

            if (call.FinalError is { } error)
            {
                throw error;
            }

            var stream = await content.RequestStream.WaitAsync(linked.Token).ConfigureAwait(false);
            await MessageFraming.WriteMessageAsync(stream, message, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not InvalidOperationException)
        {
            // A write fails because the call ended; the call's own status explains it best when known.
            throw call.FinalError ?? call.MapException(ex, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task CompleteAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _completed = true;
            content.Complete();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
