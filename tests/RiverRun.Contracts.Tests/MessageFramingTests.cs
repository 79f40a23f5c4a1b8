using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class MessageFramingTests
{
    private static OutputChunk Chunk(long offset, string text) =>
        new() { TaskId = "t-1", Stream = OutputStream.Stdout, Offset = offset, Data = ByteString.CopyFromUtf8(text) };

    [Fact]
    public async Task A_written_frame_is_a_zero_flag_a_big_endian_length_and_the_message()
    {
        var chunk = Chunk(7, "hello");
        using var stream = new MemoryStream();

        await MessageFraming.WriteMessageAsync(stream, chunk, CancellationToken.None);

        var payload = chunk.ToByteArray();
        var length = payload.Length;
        byte[] expected = [0, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. payload];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public async Task Several_messages_in_one_buffer_are_read_one_by_one()
    {
        var pipe = new Pipe();
        MessageFraming.WriteMessage(pipe.Writer, Chunk(0, "one"));
        MessageFraming.WriteMessage(pipe.Writer, Chunk(3, "two"));
        MessageFraming.WriteMessage(pipe.Writer, Chunk(6, "three"));
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();

        var read = new List<OutputChunk?>();
        for (var i = 0; i < 4; i++)
        {
            read.Add(await MessageFraming.ReadMessageAsync(pipe.Reader, OutputChunk.Parser, 1024, CancellationToken.None));
        }

        Assert.Equal([Chunk(0, "one"), Chunk(3, "two"), Chunk(6, "three"), null], read);
    }

    [Fact]
    public async Task Messages_arriving_one_byte_at_a_time_are_reassembled()
    {
        var expected = Enumerable.Range(0, 5).Select(i => Chunk(i * 100, new string('x', i * 37))).ToList();
        var bytes = expected.SelectMany(MessageFraming.ToFrame).ToArray();
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });

        var read = new List<OutputChunk>();
        while (await MessageFraming.ReadMessageAsync(pipe.Reader, OutputChunk.Parser, 1024, CancellationToken.None) is { } message)
        {
            read.Add(message);
        }

        await writing;
        Assert.Equal(expected, read);
    }

    [Fact]
    public async Task An_empty_message_is_a_message_and_not_the_end_of_the_stream()
    {
        var pipe = new Pipe();
        MessageFraming.WriteMessage(pipe.Writer, new ListNodesRequest());
        await pipe.Writer.CompleteAsync();

        var first = await MessageFraming.ReadMessageAsync(pipe.Reader, ListNodesRequest.Parser, 1024, CancellationToken.None);
        var second = await MessageFraming.ReadMessageAsync(pipe.Reader, ListNodesRequest.Parser, 1024, CancellationToken.None);

        Assert.Equal(new ListNodesRequest(), first);
        Assert.Null(second);
    }

    [Fact]
    public void A_partial_frame_is_left_in_the_buffer_until_the_rest_arrives()
    {
        var frame = MessageFraming.ToFrame(Chunk(0, "partial"));
        var buffer = new ReadOnlySequence<byte>(frame, 0, frame.Length - 1);

        var complete = MessageFraming.TryReadMessage(ref buffer, 1024, out _);

        Assert.False(complete);
        Assert.Equal(frame.Length - 1, buffer.Length);
    }

    [Fact]
    public void An_oversized_message_is_refused_as_soon_as_its_header_is_seen()
    {
        byte[] headerOnly = [0, 0, 0x10, 0, 1];
        var buffer = new ReadOnlySequence<byte>(headerOnly);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(ref buffer, 1024 * 1024, out _));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void A_compressed_message_is_refused_as_unimplemented()
    {
        byte[] frame = [1, 0, 0, 0, 1, 0x08];
        var buffer = new ReadOnlySequence<byte>(frame);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(ref buffer, 1024, out _));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_message_is_an_internal_error()
    {
        var pipe = new Pipe();
        var frame = MessageFraming.ToFrame(Chunk(0, "cut short"));
        await pipe.Writer.WriteAsync(frame.AsMemory(0, frame.Length - 3));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await MessageFraming.ReadMessageAsync(pipe.Reader, OutputChunk.Parser, 1024, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task Bytes_that_are_not_the_message_type_are_an_internal_error()
    {
        var pipe = new Pipe();
        // Field 1, wire type 2 (length-delimited) claiming 100 bytes that are not there.
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0x0A, 100 });
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await MessageFraming.ReadMessageAsync(pipe.Reader, OutputChunk.Parser, 1024, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }
}
