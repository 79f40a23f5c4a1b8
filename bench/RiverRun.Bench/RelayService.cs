using Google.Protobuf;
using Grpc.Core;
using Microsoft.Win32.SafeHandles;
using RiverRun.Bench.Relay;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// The bare relay's calls: Send stores each chunk as the Host stores output and hands it on to
/// Receive; Receive streams it to the consumer. Nothing else of the Host (no acknowledgements,
/// no database, no authorization): what remains is the cost of gRPC, HTTP/2, TLS and the file.
/// </summary>
internal sealed class RelayService : Relay.Relay.RelayBase
{
    // Read by every Receive from memory, never written: one chunk of zeros serves any number of
    // bytes, so that variant measures the hop and nothing that feeds it.
    private static readonly byte[] MemoryChunk = new byte[OutputFlow.ChunkBytes];

    private readonly RelayHandoffs _handoffs;
    private readonly RelayOptions _options;

    public RelayService(RelayHandoffs handoffs, RelayOptions options)
    {
        _handoffs = handoffs;
        _options = options;
    }

    public override async Task<SendReply> Send(IAsyncStreamReader<V1.OutputChunk> requestStream, ServerCallContext context)
    {
        SafeFileHandle? file = null;
        System.Threading.Channels.ChannelWriter<V1.OutputChunk>? handoff = null;
        long received = 0;
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                var chunk = requestStream.Current;
                if (handoff is null)
                {
                    handoff = _handoffs.For(chunk.TaskId).Writer;
                    file = File.OpenHandle(OutputPath(chunk.TaskId), FileMode.Create, FileAccess.Write, FileShare.Read);
                }

                // Positional and unflushed, as the Host appends output (it syncs once per task, not per chunk).
                RandomAccess.Write(file!, chunk.Data.Span, chunk.Offset);
                received += chunk.Data.Length;
                // Throws ChannelClosedException once the consumer's Receive has ended: Send fails then.
                await handoff.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            handoff?.TryComplete();
            file?.Dispose();
        }

        return new SendReply { Bytes = received };
    }

    public override Task Receive(ReceiveRequest request, IServerStreamWriter<V1.OutputChunk> responseStream, ServerCallContext context) =>
        request.BytesFromMemory > 0
            ? ReceiveFromMemoryAsync(request, responseStream)
            : ReceiveRelayedAsync(request.TaskId, responseStream, context.CancellationToken);

    private async Task ReceiveRelayedAsync(string taskId, IServerStreamWriter<V1.OutputChunk> responseStream, CancellationToken cancellationToken)
    {
        var handoff = _handoffs.For(taskId);
        try
        {
            await foreach (var chunk in handoff.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // A consumer that went away must not leave the producer waiting on a full channel.
            handoff.Writer.TryComplete();
            _handoffs.Remove(taskId);
        }
    }

    private static async Task ReceiveFromMemoryAsync(ReceiveRequest request, IServerStreamWriter<V1.OutputChunk> responseStream)
    {
        var whole = UnsafeByteOperations.UnsafeWrap(MemoryChunk);
        for (long offset = 0; offset < request.BytesFromMemory; offset += OutputFlow.ChunkBytes)
        {
            var length = (int)Math.Min(OutputFlow.ChunkBytes, request.BytesFromMemory - offset);
            await responseStream.WriteAsync(new V1.OutputChunk
            {
                TaskId = request.TaskId,
                Stream = V1.OutputStream.Stdout,
                Offset = offset,
                Data = length == MemoryChunk.Length ? whole : UnsafeByteOperations.UnsafeWrap(MemoryChunk.AsMemory(0, length)),
            }).ConfigureAwait(false);
        }
    }

    private string OutputPath(string taskId)
    {
        // The id names a file: refuse anything that would leave the directory.
        if (taskId.Length == 0 || taskId.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || taskId is "." or "..")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"task_id '{taskId}' is not a plain file name"));
        }

        return Path.Combine(_options.Directory, taskId + ".out");
    }
}
