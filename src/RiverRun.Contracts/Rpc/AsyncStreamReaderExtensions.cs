using System.Runtime.CompilerServices;

namespace RiverRun.Contracts.Rpc;

/// <summary>Lets a message stream be consumed with <c>await foreach</c>.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>All remaining messages of the stream, in order.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
