namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Reads a stream of messages one at a time. Shaped like Grpc.Core's reader (MoveNext/Current) so
/// code written against it reads familiarly; <see cref="AsyncStreamReaderExtensions.ReadAllAsync"/>
/// turns it into an <see cref="IAsyncEnumerable{T}"/>.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message the last successful <see cref="MoveNext"/> read.</summary>
    T Current { get; }

    /// <summary>Reads the next message: true when there is one, false when the stream ended cleanly.
    /// Not to be called concurrently. On the client, cancelling the token cancels the whole call.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
