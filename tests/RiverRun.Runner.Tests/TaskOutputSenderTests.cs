using Google.Protobuf;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Output;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tests;

/// <summary>The output sender against a spool directory written by the test, as the wrapper would.</summary>
public sealed class TaskOutputSenderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TaskRun _run;
    private readonly RecordingStreamWriter _stream = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SpoolWatcher _watcher = new();

    public TaskOutputSenderTests()
    {
        var start = new StartTask { TaskId = "t00000000001", Spec = new Contracts.V1.TaskSpec { Argv = { "true" } } };
        _run = new TaskRun(start, TaskDirectory.Create(new TaskPaths(_temp.Path, _temp.Combine("spool")), start));
        Directory.CreateDirectory(_run.Directory.Spool.Directory);
        // As the supervisor does: the spool's changes wake the sender, which never polls.
        _watcher.Watch(_run.Directory.Spool.Directory, _run.SpoolChanged);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _watcher.Dispose();
        _temp.Dispose();
    }

    private Task Send(long stdoutOffset = 0, long stderrOffset = 0) => Start(stdoutOffset, stderrOffset).Running;

    private (TaskOutputSender Sender, Task Running) Start(long stdoutOffset = 0, long stderrOffset = 0, long windowBytes = OutputFlow.WindowBytes)
    {
        var outbox = new Outbox(4);
        _ = outbox.PumpAsync(_stream, _stop.Token);
        var sender = new TaskOutputSender(_run, outbox, stdoutOffset, stderrOffset, windowBytes);
        return (sender, sender.RunAsync(_stop.Token));
    }

    private void MarkStarted() => File.WriteAllText(Path.Combine(_run.Directory.Spool.Directory, SpoolFiles.Started), "1\n");

    private void Append(string file, byte[] bytes)
    {
        using var stream = new FileStream(Path.Combine(_run.Directory.Spool.Directory, file), FileMode.Append);
        stream.Write(bytes);
    }

    private void End(TaskState state = TaskState.Succeeded) =>
        _run.Finish(new TaskVerdict(state, 0, null, "exited with code 0"), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Started_comes_first_then_output_as_it_is_written_then_exited_with_the_total_lengths()
    {
        MarkStarted();
        _run.MarkStarted(DateTimeOffset.UtcNow);
        var sending = Send();

        var started = (await _stream.NextAsync()).Started;
        Append(SpoolFiles.StandardOutput, "hello\n"u8.ToArray());
        var first = (await _stream.NextAsync()).Output;
        Append(SpoolFiles.StandardError, "oops\n"u8.ToArray());
        var second = (await _stream.NextAsync()).Output;
        End();
        var exited = (await _stream.NextAsync()).Exited;
        await sending;

        Assert.Equal("riverrun-t00000000001.scope", started.Unit);
        Assert.Equal((OutputStream.Stdout, 0L, "hello\n"), (first.Stream, first.Offset, first.Data.ToStringUtf8()));
        Assert.Equal((OutputStream.Stderr, 0L, "oops\n"), (second.Stream, second.Offset, second.Data.ToStringUtf8()));
        Assert.Equal((TaskState.Succeeded, 6L, 5L), (exited.State, exited.StdoutLength, exited.StderrLength));
    }

    [Fact]
    public async Task Output_written_after_a_quiet_period_arrives_at_once_woken_by_the_spool_watch_not_a_timer()
    {
        MarkStarted();
        _run.MarkStarted(DateTimeOffset.UtcNow);
        var sending = Send();
        _ = (await _stream.NextAsync()).Started;
        await Task.Delay(TimeSpan.FromSeconds(1));

        var written = System.Diagnostics.Stopwatch.StartNew();
        Append(SpoolFiles.StandardOutput, "late line\n"u8.ToArray());
        var chunk = (await _stream.NextAsync()).Output;
        var latency = written.Elapsed;
        End();
        _ = (await _stream.NextAsync()).Exited;
        await sending;

        Assert.Equal((0L, "late line\n"), (chunk.Offset, chunk.Data.ToStringUtf8()));
        // The sender has no timer at all: only the watch can have woken it, and well within this.
        Assert.True(latency < TimeSpan.FromMilliseconds(500), $"the line arrived after {latency.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Large_output_goes_in_chunks_of_at_most_the_chunk_size_with_consecutive_offsets_and_unchanged_bytes()
    {
        var data = new byte[(3 * OutputFlow.ChunkBytes) + 1000];
        new Random(7).NextBytes(data);
        MarkStarted();
        _run.MarkStarted(DateTimeOffset.UtcNow);
        Append(SpoolFiles.StandardOutput, data);
        End();

        var sending = Send();
        Assert.NotNull((await _stream.NextAsync()).Started);
        var chunks = new List<OutputChunk>();
        for (var i = 0; i < 4; i++)
        {
            chunks.Add((await _stream.NextAsync()).Output);
        }

        var exited = (await _stream.NextAsync()).Exited;
        await sending;

        const int Size = OutputFlow.ChunkBytes;
        Assert.Equal([Size, Size, Size, 1000], chunks.Select(c => c.Data.Length));
        Assert.Equal([0L, Size, 2L * Size, 3L * Size], chunks.Select(c => c.Offset));
        Assert.Equal(data, chunks.SelectMany(c => c.Data.ToByteArray()).ToArray());
        Assert.Equal(data.Length, exited.StdoutLength);
    }

    [Fact]
    public async Task Output_beyond_the_window_waits_for_the_Hosts_acknowledgement_and_then_goes_on()
    {
        var data = new byte[5 * OutputFlow.ChunkBytes];
        new Random(3).NextBytes(data);
        MarkStarted();
        _run.MarkStarted(DateTimeOffset.UtcNow);
        Append(SpoolFiles.StandardOutput, data);
        End();

        var (sender, sending) = Start(windowBytes: 2 * OutputFlow.ChunkBytes);
        Assert.NotNull((await _stream.NextAsync()).Started);
        var first = new[] { (await _stream.NextAsync()).Output, (await _stream.NextAsync()).Output };
        // Two chunks fill the window: nothing more until the Host acknowledges.
        await Task.Delay(300);
        Assert.False(_stream.TryNext(out _));
        Assert.False(sending.IsCompleted);
        Assert.Equal(2 * OutputFlow.ChunkBytes, first.Sum(c => c.Data.Length));

        sender.Acknowledge(2 * OutputFlow.ChunkBytes, 0);
        var rest = new List<OutputChunk>();
        for (var i = 0; i < 2; i++)
        {
            rest.Add((await _stream.NextAsync()).Output);
        }

        sender.Acknowledge(4 * OutputFlow.ChunkBytes, 0);
        rest.Add((await _stream.NextAsync()).Output);
        var exited = (await _stream.NextAsync()).Exited;
        await sending;

        Assert.Equal([0L, 1L, 2L, 3L, 4L], first.Concat(rest).Select(c => c.Offset / OutputFlow.ChunkBytes));
        Assert.Equal(data, first.Concat(rest).SelectMany(c => c.Data.ToByteArray()).ToArray());
        Assert.Equal(data.Length, exited.StdoutLength);
    }

    [Fact]
    public async Task After_a_reconnect_output_resumes_at_the_offsets_the_Host_acknowledged()
    {
        MarkStarted();
        _run.MarkStarted(DateTimeOffset.UtcNow);
        Append(SpoolFiles.StandardOutput, "0123456789"u8.ToArray());
        Append(SpoolFiles.StandardError, "abcdef"u8.ToArray());
        End();

        var sending = Send(stdoutOffset: 4, stderrOffset: 6);
        Assert.NotNull((await _stream.NextAsync()).Started);
        var chunk = (await _stream.NextAsync()).Output;
        var exited = (await _stream.NextAsync()).Exited;
        await sending;

        Assert.Equal((4L, "456789"), (chunk.Offset, chunk.Data.ToStringUtf8()));
        Assert.Equal((10L, 6L), (exited.StdoutLength, exited.StderrLength));
    }

    [Fact]
    public async Task A_task_that_never_started_sends_only_its_exit()
    {
        _run.Finish(TaskVerdict.LaunchFailed("Unit riverrun-t00000000001.scope already exists."), DateTimeOffset.UtcNow);

        var sending = Send();
        var message = await _stream.NextAsync();
        await sending;

        Assert.Equal(RunnerMessage.MessageOneofCase.Exited, message.MessageCase);
        Assert.Equal(TaskState.LaunchFailed, message.Exited.State);
        Assert.Equal("Unit riverrun-t00000000001.scope already exists.", message.Exited.Reason);
    }

    [Fact]
    public async Task A_symbolic_link_planted_as_stdout_is_not_followed()
    {
        var secret = _temp.Combine("secret");
        File.WriteAllText(secret, "root only");
        File.CreateSymbolicLink(Path.Combine(_run.Directory.Spool.Directory, SpoolFiles.StandardOutput), secret);
        End();

        var sending = Send();
        var message = await _stream.NextAsync();
        await sending;

        Assert.Equal(RunnerMessage.MessageOneofCase.Exited, message.MessageCase);
        Assert.Equal(0, message.Exited.StdoutLength);
    }

    [Fact]
    public void Reading_at_an_offset_returns_the_bytes_from_there_up_to_the_buffer_size()
    {
        Append(SpoolFiles.StandardOutput, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        var buffer = new byte[10];

        var read = OutputFileReader.Read(_run.Directory.Spool.StandardOutputPath, 95, buffer);

        Assert.Equal(5, read);
        Assert.Equal(new byte[] { 95, 96, 97, 98, 99 }, buffer[..5]);
        Assert.Equal(0, OutputFileReader.Read(_run.Directory.Spool.StandardErrorPath, 0, buffer));
    }

    [Fact]
    public void The_result_survives_in_the_task_directory_for_a_restarted_Runner()
    {
        _run.RequestStop(StopReason.Killed);
        _run.Finish(new TaskVerdict(TaskState.Killed, null, 15, "killed on request"), DateTimeOffset.UtcNow);

        var reread = new TaskRun(_run.Directory.ReadSpec(), new TaskDirectory(_run.Directory.Path, _run.Directory.Spool.Directory));

        Assert.Equal(StopReason.Killed, reread.StopReason);
        Assert.Equal(TaskState.Killed, reread.Result!.State);
        Assert.Equal(15, reread.Result.Exit.Signal);
        Assert.Equal(_run.Start.ToByteString(), reread.Start.ToByteString());
    }
}
