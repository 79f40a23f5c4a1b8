using System.Buffers;
using System.Globalization;
using Google.Protobuf;
using RiverRun.Bench.Relay;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// bench/relay-floor's producer, in the Runner's place: reads a file from the start in chunks
/// (as the Runner reads its spool) and sends them to the relay's Send, over RiverRun's own
/// channel (<see cref="HostChannel"/>: the Runner's HTTP/2 and TLS settings).
/// </summary>
internal static class RelayProducer
{
    /// <param name="maxBytes">Stop after this many bytes; -1 sends the whole file.</param>
    public static async Task<int> RunAsync(string host, string? ca, string taskId, string path, long maxBytes)
    {
        using var channel = RelayChannel.Create(host, ca);
        var relay = new Relay.Relay.RelayClient(channel);
        using var file = File.OpenHandle(path);
        var total = maxBytes < 0 ? RandomAccess.GetLength(file) : maxBytes;
        // One pooled buffer, wrapped without a copy, as the Runner's TaskOutputSender does: the
        // message is serialized into the request stream before WriteAsync returns, so the next
        // read may fill the buffer again.
        var buffer = ArrayPool<byte>.Shared.Rent(OutputFlow.ChunkBytes);
        try
        {
            using var call = relay.Send();
            long offset = 0;
            while (offset < total)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(OutputFlow.ChunkBytes, total - offset)), offset);
                if (read == 0)
                {
                    throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{path} ends at {offset} bytes, before the {total} to send"));
                }

                await call.RequestStream.WriteAsync(new V1.OutputChunk
                {
                    TaskId = taskId,
                    Stream = V1.OutputStream.Stdout,
                    Offset = offset,
                    Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)),
                }).ConfigureAwait(false);
                offset += read;
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var reply = await call.ResponseAsync.ConfigureAwait(false);
            if (reply.Bytes != offset)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"riverrun-bench relay-produce: sent {offset} bytes, the server received {reply.Bytes}")).ConfigureAwait(false);
                return 1;
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
