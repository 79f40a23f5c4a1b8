using RiverRun.Core;
using RiverRun.Host.Output;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

public sealed class OutputLogStoreTests : IDisposable
{
    private static readonly TaskId Task = new TaskIdGenerator().Next();
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_chunk_sent_twice_is_stored_once()
    {
        using var store = new OutputLogStore(_directory.Path);
        var first = store.Append(Task, V1.OutputStream.Stdout, 0, "hello "u8);
        var again = store.Append(Task, V1.OutputStream.Stdout, 0, "hello "u8);

        Assert.Equal(new OutputAppendResult(OutputAppendOutcome.Appended, 6), first);
        Assert.Equal(new OutputAppendResult(OutputAppendOutcome.Duplicate, 6), again);
        Assert.Equal("hello "u8.ToArray(), ReadAll(store, V1.OutputStream.Stdout));
    }

    [Fact]
    public void A_chunk_overlapping_stored_bytes_adds_only_its_new_tail()
    {
        using var store = new OutputLogStore(_directory.Path);
        store.Append(Task, V1.OutputStream.Stdout, 0, "hello"u8);

        var result = store.Append(Task, V1.OutputStream.Stdout, 3, "lo world"u8);

        Assert.Equal(new OutputAppendResult(OutputAppendOutcome.Appended, 11), result);
        Assert.Equal("hello world"u8.ToArray(), ReadAll(store, V1.OutputStream.Stdout));
    }

    [Fact]
    public void A_chunk_after_a_gap_is_refused_and_the_stored_length_says_where_to_resume()
    {
        using var store = new OutputLogStore(_directory.Path);
        store.Append(Task, V1.OutputStream.Stderr, 0, "abc"u8);

        var result = store.Append(Task, V1.OutputStream.Stderr, 10, "xyz"u8);

        Assert.Equal(new OutputAppendResult(OutputAppendOutcome.Gap, 3), result);
        Assert.Equal("abc"u8.ToArray(), ReadAll(store, V1.OutputStream.Stderr));
    }

    [Fact]
    public void Binary_bytes_come_back_unchanged_and_the_streams_stay_apart()
    {
        using var store = new OutputLogStore(_directory.Path);
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0xff, 0xfe, 0x00, 0xc3 }).ToArray();

        store.Append(Task, V1.OutputStream.Stdout, 0, binary);
        store.Append(Task, V1.OutputStream.Stderr, 0, "err"u8);

        Assert.Equal(binary, ReadAll(store, V1.OutputStream.Stdout));
        Assert.Equal("err"u8.ToArray(), ReadAll(store, V1.OutputStream.Stderr));
    }

    [Fact]
    public void Stored_output_is_found_again_by_a_new_store_on_the_same_directory()
    {
        using (var store = new OutputLogStore(_directory.Path))
        {
            store.Append(Task, V1.OutputStream.Stdout, 0, "kept"u8);
            store.Flush(Task);
        }

        using var reopened = new OutputLogStore(_directory.Path);
        Assert.Equal(4, reopened.GetLength(Task, V1.OutputStream.Stdout));
        Assert.Equal(new OutputAppendResult(OutputAppendOutcome.Duplicate, 4), reopened.Append(Task, V1.OutputStream.Stdout, 0, "kept"u8));
    }

    [Fact]
    public void Reading_many_finished_tasks_leaves_no_file_open()
    {
        using var store = new OutputLogStore(_directory.Path);
        var generator = new TaskIdGenerator();
        var tasks = Enumerable.Range(0, 50).Select(_ => generator.Next()).ToList();
        foreach (var task in tasks)
        {
            store.Append(task, V1.OutputStream.Stdout, 0, "done\n"u8);
            store.Release(task);
        }

        var before = OpenFileCount();
        var buffer = new byte[16];
        foreach (var task in tasks)
        {
            Assert.Equal(5, store.GetLength(task, V1.OutputStream.Stdout));
            Assert.Equal(5, store.Read(task, V1.OutputStream.Stdout, 0, buffer));
            Assert.Equal(0, store.Read(task, V1.OutputStream.Stderr, 0, buffer));
        }

        // A Host serves list, status and logs of finished tasks for months: none may pin a descriptor.
        var after = OpenFileCount();
        Assert.True(after == before, $"open descriptors of the store's files grew from {before} to {after}");
    }

    // Only descriptors of files in this test's directory: other tests run in parallel in this
    // process and open sockets and files of their own.
    private int OpenFileCount() =>
        Directory.GetFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Count(target => target is not null && target.StartsWith(_directory.Path + "/", StringComparison.Ordinal));

    [Fact]
    public void A_large_output_is_read_back_in_chunks_no_bigger_than_the_buffer()
    {
        using var store = new OutputLogStore(_directory.Path);
        var random = new Random(42);
        var expected = new byte[3 * 1024 * 1024 + 17];
        random.NextBytes(expected);
        for (var offset = 0; offset < expected.Length; offset += 100_000)
        {
            var length = Math.Min(100_000, expected.Length - offset);
            store.Append(Task, V1.OutputStream.Stdout, offset, expected.AsSpan(offset, length));
        }

        var buffer = new byte[64 * 1024];
        var actual = new MemoryStream();
        long position = 0;
        int read;
        var reads = 0;
        while ((read = store.Read(Task, V1.OutputStream.Stdout, position, buffer)) > 0)
        {
            Assert.True(read <= buffer.Length);
            actual.Write(buffer, 0, read);
            position += read;
            reads++;
        }

        Assert.Equal(expected.Length, position);
        Assert.True(reads >= expected.Length / buffer.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual.ToArray()));
    }

    [Fact]
    public void Reading_past_the_stored_end_returns_nothing()
    {
        using var store = new OutputLogStore(_directory.Path);
        store.Append(Task, V1.OutputStream.Stdout, 0, "abc"u8);

        Assert.Equal(0, store.Read(Task, V1.OutputStream.Stdout, 3, new byte[10]));
        Assert.Equal(0, store.Read(Task, V1.OutputStream.Stderr, 0, new byte[10]));
    }

    private static byte[] ReadAll(OutputLogStore store, V1.OutputStream stream)
    {
        var result = new MemoryStream();
        var buffer = new byte[4];
        long offset = 0;
        int read;
        while ((read = store.Read(Task, stream, offset, buffer)) > 0)
        {
            result.Write(buffer, 0, read);
            offset += read;
        }

        return result.ToArray();
    }
}
