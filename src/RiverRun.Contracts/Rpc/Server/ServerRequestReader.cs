using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>The request stream of a duplex call, read message by message from the HTTP/2 body.</summary>
internal sealed class ServerRequestReader<T>(ServerCall call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No message has been read; call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        _current = await call.ReadMessageAsync(parser, cancellationToken).ConfigureAwait(false);
        return _current is not null;
    }
}
