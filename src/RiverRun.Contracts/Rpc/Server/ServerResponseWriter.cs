using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>The response stream a handler writes to; every message is framed and flushed at once.</summary>
internal sealed class ServerResponseWriter<T>(ServerCall call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteMessageAsync(message, cancellationToken);
    }
}
