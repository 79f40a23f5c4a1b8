using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class RunCommandTests
{
    private static readonly string TaskId = FakeTasks.Id(100);

    [Fact]
    public async Task Run_streams_stdout_and_stderr_to_their_own_streams_and_exits_with_the_task_code()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Failed, exitCode: 3),
            Stdout = Encoding.UTF8.GetBytes("line one\nline two\n"),
            Stderr = Encoding.UTF8.GetBytes("warning: something\n"),
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "run", "--target", "node1", "--", "sh", "-c", "exit 3");

        Assert.Equal(3, exitCode);
        Assert.Equal("line one\nline two\n", cli.Stdout);
        Assert.Equal("warning: something\n", cli.Stderr);
        var submit = Assert.Single(host.Tasks.Submits);
        Assert.Equal(["sh", "-c", "exit 3"], submit.Spec.Argv);
        var watch = Assert.Single(host.Tasks.Watches);
        Assert.True(watch.Follow);
        Assert.Equal((0, 0), (watch.StdoutOffset, watch.StderrOffset));
    }

    [Fact]
    public async Task Binary_output_arrives_byte_for_byte()
    {
        await using var host = await FakeHost.StartAsync();
        var binary = Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 256)).Concat(new byte[] { 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0d, 0x0a }).ToArray();
        var binaryErr = new byte[] { 0x80, 0x81, 0x00, 0xe2, 0x82 };
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0),
            Stdout = binary,
            Stderr = binaryErr,
            ChunkSize = 333,
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "run", "--", "cat", "/dev/urandom");

        Assert.Equal(0, exitCode);
        Assert.Equal(binary, cli.StdoutBytes);
        Assert.Equal(binaryErr, cli.StderrBytes);
    }

    [Theory]
    [InlineData(TaskState.Succeeded, 0, null, 0)]
    [InlineData(TaskState.Failed, null, 9, 137)]
    [InlineData(TaskState.TimedOut, null, 15, 124)]
    [InlineData(TaskState.OomKilled, null, 9, 250)]
    [InlineData(TaskState.LaunchFailed, null, null, 125)]
    [InlineData(TaskState.Lost, null, null, 251)]
    [InlineData(TaskState.Cancelled, null, null, 252)]
    public async Task Run_exits_with_the_code_that_stands_for_how_the_task_ended(TaskState state, int? code, int? signal, int expected)
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.Scripts[TaskId] = new TaskScript { Final = TaskScript.Ended(TaskId, state, code, signal, reason: "the reason") };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "run", "--", "job");

        Assert.Equal(expected, exitCode);
        if (state is not TaskState.Succeeded)
        {
            Assert.Contains($"task {TaskId}", cli.Stderr, StringComparison.Ordinal);
            Assert.Contains($"(exit {expected})", cli.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_says_once_that_it_waits_while_queued_and_then_streams_the_output()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0),
            Stdout = Encoding.UTF8.GetBytes("done\n"),
            // The task leaves the queue only once the user was told that it waits.
            BeforeOutput = async writer =>
            {
                await cli.StandardError.WaitForLengthAsync(1).WaitAsync(CliRun.Patience);
                var running = TaskScript.Ended(TaskId, TaskState.Running);
                await writer.WriteAsync(new WatchOutputResponse { Task = running });
            },
        };

        var exitCode = await cli.RunAsync(host, "run", "--", "job");

        Assert.Equal(0, exitCode);
        Assert.Equal("done\n", cli.Stdout);
        var lines = cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"riverrun: task {TaskId} is QUEUED: waiting for a node with room", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"riverrun: task {TaskId} left the queue on node1 after ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_the_queued_line_is_redrawn_in_place_and_erased_before_output()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun(errorIsTerminal: true);
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0),
            Stderr = Encoding.UTF8.GetBytes("progress\n"),
            BeforeOutput = async writer =>
            {
                await cli.StandardError.WaitForLengthAsync(1).WaitAsync(CliRun.Patience);
                await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(TaskId, TaskState.Running) });
            },
        };

        var exitCode = await cli.RunAsync(host, "run", "--", "job");

        Assert.Equal(0, exitCode);
        var stderr = cli.Stderr;
        Assert.StartsWith($"\r\u001b[2Kriverrun: task {TaskId} is QUEUED, waiting for a node with room... 0s", stderr, StringComparison.Ordinal);
        var erased = stderr.LastIndexOf("\r\u001b[2K", StringComparison.Ordinal);
        Assert.True(erased < stderr.IndexOf("progress\n", StringComparison.Ordinal), stderr);
        Assert.EndsWith("progress\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_detaches_without_killing_and_says_how_to_reattach()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Tasks.OnWatch = async (request, writer, context) =>
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(request.TaskId, TaskState.Running) });
            await writer.WriteAsync(new WatchOutputResponse { Output = new OutputChunk { Stream = OutputStream.Stdout, Data = ByteString.CopyFromUtf8("started\n") } });
            watching.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };

        var run = cli.RunAsync(host, "run", "--", "sleep", "1000");
        await watching.Task.WaitAsync(CliRun.Patience);
        await cli.StandardOutput.As<CapturingStream>().WaitForLengthAsync(8).WaitAsync(CliRun.Patience);
        Assert.True(cli.Context.Interrupts.Interrupt());
        var exitCode = await run;

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Empty(host.Tasks.Kills);
        Assert.Equal("started\n", cli.Stdout);
        Assert.Equal($"riverrun: detached from task {TaskId}; it keeps running. Re-attach with: riverrun logs -f {TaskId}\n", cli.Stderr);
    }

    [Fact]
    public async Task Ctrl_C_with_kill_on_detach_kills_the_task_and_waits_for_its_end()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Tasks.OnKill = request =>
        {
            killed.TrySetResult();
            return TaskScript.Ended(request.TaskId, TaskState.Running);
        };
        host.Tasks.OnWatch = async (request, writer, context) =>
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(request.TaskId, TaskState.Running) });
            if (host.Tasks.Watches.Count == 1)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            await killed.Task.WaitAsync(context.CancellationToken);
            await writer.WriteAsync(new WatchOutputResponse { Output = new OutputChunk { Stream = OutputStream.Stderr, Offset = 0, Data = ByteString.CopyFromUtf8("terminated\n") } });
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(request.TaskId, TaskState.Killed, signal: 15) });
        };

        var run = cli.RunAsync(host, "run", "--kill-on-detach", "--", "sleep", "1000");
        await host.Tasks.FirstWatch.WaitAsync(CliRun.Patience);

        await WaitUntilAsync(() => cli.Context.Interrupts.Interrupt());
        var exitCode = await run;

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Equal(TaskId, Assert.Single(host.Tasks.Kills).TaskId);
        Assert.Equal(
            $"riverrun: killing task {TaskId} (Ctrl-C again to stop waiting for its end)\nterminated\nriverrun: task {TaskId} ended KILLED\n",
            cli.Stderr);
    }

    [Fact]
    public async Task Run_refuses_several_targets_and_points_to_submit()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "run", "--target", "node1", "--target", "node2", "--", "ls");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("riverrun: run follows one task, but 2 targets were given; to start one task per target use riverrun submit", cli.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, host.CallCount);
    }

    [Fact]
    public async Task Two_hundred_megabytes_stream_through_unchanged()
    {
        const int chunkSize = 1 << 20;
        const int chunks = 200;
        await using var host = await FakeHost.StartAsync();
        host.Tasks.OnWatch = async (request, writer, context) =>
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(request.TaskId, TaskState.Running) });
            for (var i = 0; i < chunks; i++)
            {
                var chunk = new OutputChunk { Stream = OutputStream.Stdout, Offset = (long)i * chunkSize, Data = UnsafeByteOperations.UnsafeWrap(Block(i, chunkSize)) };
                await writer.WriteAsync(new WatchOutputResponse { Output = chunk }, context.CancellationToken);
            }

            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(request.TaskId, TaskState.Succeeded, exitCode: 0) });
        };
        using var sink = new HashingStream();
        var cli = new CliRun(sink);

        var exitCode = await cli.RunAsync(host, "run", "--", "generate");

        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < chunks; i++)
        {
            expected.AppendData(Block(i, chunkSize));
        }

        Assert.Equal(0, exitCode);
        Assert.Equal((long)chunks * chunkSize, sink.Length);
        Assert.Equal(expected.GetHashAndReset(), sink.GetHash());
    }

    private static byte[] Block(int index, int size)
    {
        var block = new byte[size];
        new Random(index).NextBytes(block);
        return block;
    }

    // For conditions signalled by nothing the test can await (a registration inside the client).
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + CliRun.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
