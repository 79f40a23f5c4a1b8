namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Sends a handler's response messages. Each write is flushed to the connection before it
/// completes, so a streamed message is on its way to the client as soon as the await returns.
/// Writes from several tasks are serialized, never interleaved.
/// </summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>Sends one message. Throws OperationCanceledException when the call was cancelled
    /// (client gone, deadline passed) and InvalidOperationException after the call finished.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
