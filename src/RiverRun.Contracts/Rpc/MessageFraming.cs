using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// gRPC's length-prefixed message framing: every message on the HTTP/2 body is
/// 1 byte compressed-flag, 4 bytes big-endian length, then that many bytes of protobuf.
/// HTTP/2 DATA frames have nothing to do with message boundaries, so readers must cope with a
/// message split over many reads and with many messages in one read.
/// </summary>
public static class MessageFraming
{
    /// <summary>Bytes before each message: the compressed flag and the length.</summary>
    public const int HeaderLength = 5;

    /// <summary>The default largest message a peer accepts (4 MiB, as in other gRPC implementations).</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Writes one framed message (uncompressed: we never negotiate compression).</summary>
    public static void WriteMessage(IBufferWriter<byte> output, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var header = output.GetSpan(HeaderLength);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        output.Advance(HeaderLength);
        if (size > 0)
        {
            message.WriteTo(output);
        }
    }

    /// <summary>One framed message as a byte array (the whole body of a unary request).</summary>
    public static byte[] ToFrame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var frame = new byte[HeaderLength + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)size);
        message.WriteTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Writes one framed message to a stream and flushes it, so it leaves now rather than
    /// whenever a buffer fills (a streamed output line must reach the watcher promptly).</summary>
    public static async ValueTask WriteMessageAsync(Stream stream, IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var frame = ToFrame(message);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes one complete message off the front of <paramref name="buffer"/> if it holds one.
    /// On success <paramref name="buffer"/> is advanced past it and <paramref name="payload"/> is the
    /// message's bytes (a slice of the original buffer). The size limit is checked as soon as the
    /// header is there, so an oversized message is refused before its bytes are buffered.
    /// </summary>
    /// <exception cref="RpcException">ResourceExhausted when over <paramref name="maxMessageSize"/>;
    /// Unimplemented when the message is compressed.</exception>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        switch (header[0])
        {
            case 0:
                break;
            case 1:
                throw new RpcException(StatusCode.Unimplemented, "Received a compressed message, but no compression was negotiated.");
            default:
                throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {header[0]} in a message header.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize}).");
        }

        if (buffer.Length < HeaderLength + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>
    /// Reads the next message, or returns null when the body ended cleanly between messages.
    /// </summary>
    /// <exception cref="RpcException">ResourceExhausted, Unimplemented (compressed), or Internal when the
    /// body ends inside a message or the bytes are not a valid message.</exception>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader,
        MessageParser<T> parser,
        int maxMessageSize,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(parser);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool complete;
            ReadOnlySequence<byte> payload;
            try
            {
                complete = TryReadMessage(ref buffer, maxMessageSize, out payload);
            }
            catch
            {
                reader.AdvanceTo(result.Buffer.Start);
                throw;
            }

            if (complete)
            {
                // Parse before AdvanceTo: the payload is a view into the pipe's memory.
                T message;
                try
                {
                    message = parser.ParseFrom(payload);
                }
                catch (InvalidProtocolBufferException ex)
                {
                    throw new RpcException(StatusCode.Internal, $"Failed to parse a {typeof(T).Name} message: {ex.Message}", ex);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }

                return message;
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(result.Buffer.Start);
                throw new OperationCanceledException("Reading the message stream was cancelled.");
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return null;
                }

                throw new RpcException(StatusCode.Internal, $"The stream ended inside a message ({leftover} bytes of it received).");
            }

            // Not enough yet: say we looked at everything so the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
