namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Sends a client's request messages on a streaming call. Each write is flushed before it completes.
/// Writes from several tasks are serialized, never interleaved.
/// </summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IClientStreamWriter<in T>
{
    /// <summary>Sends one message. Throws RpcException when the call has failed or ended.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Ends the request stream (HTTP/2 END_STREAM): the server's reader sees the end.
    /// The response stream stays readable.</summary>
    Task CompleteAsync();
}
