using Grpc.Core;
using System.Text;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class LogsCommandTests
{
    private static readonly string TaskId = FakeTasks.Id(7);

    [Fact]
    public async Task Logs_replays_the_stored_output_without_following()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0),
            Stdout = Encoding.UTF8.GetBytes("out 1\nout 2\n"),
            Stderr = Encoding.UTF8.GetBytes("err 1\n"),
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "logs", TaskId);

        Assert.Equal(0, exitCode);
        Assert.Equal("out 1\nout 2\n", cli.Stdout);
        Assert.Equal("err 1\n", cli.Stderr);
        var watch = Assert.Single(host.Tasks.Watches);
        Assert.False(watch.Follow);
        Assert.Empty(watch.Streams);
    }

    [Fact]
    public async Task Logs_with_stdout_asks_for_stdout_only_and_follow_follows()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.Scripts[TaskId] = new TaskScript
        {
            Final = TaskScript.Ended(TaskId, TaskState.Failed, exitCode: 1),
            Stdout = Encoding.UTF8.GetBytes("only this\n"),
            Stderr = Encoding.UTF8.GetBytes("not this\n"),
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "logs", "-f", "--stdout", TaskId);

        Assert.Equal(0, exitCode);
        Assert.Equal("only this\n", cli.Stdout);
        Assert.Equal(string.Empty, cli.Stderr);
        var watch = Assert.Single(host.Tasks.Watches);
        Assert.True(watch.Follow);
        Assert.Equal([OutputStream.Stdout], watch.Streams);
    }

    [Fact]
    public async Task A_broken_watch_resumes_at_the_bytes_already_written_and_writes_none_twice()
    {
        await using var host = await FakeHost.StartAsync();
        var stdout = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"stdout line {i}\n")));
        var stderr = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20).Select(i => $"stderr line {i}\n")));
        var script = new TaskScript { Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0), Stdout = stdout, Stderr = stderr, ChunkSize = 10 };
        var cli = new CliRun();
        const int firstStdout = 300;
        const int firstStderr = 70; // a line boundary, so the client's messages stand on lines of their own
        host.Tasks.OnWatch = async (request, writer, context) =>
        {
            if (host.Tasks.Watches.Count == 1)
            {
                // The first stream carries part of the output, then the Host "restarts".
                await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(TaskId, TaskState.Running) });
                await SendAsync(writer, OutputStream.Stdout, stdout, 0, firstStdout);
                await SendAsync(writer, OutputStream.Stderr, stderr, 0, firstStderr);
                await cli.StandardOutput.As<CapturingStream>().WaitForLengthAsync(firstStdout).WaitAsync(CliRun.Patience);
                await cli.StandardError.WaitForLengthAsync(firstStderr).WaitAsync(CliRun.Patience);
                context.GetHttpContext().Abort();
                return;
            }

            // The restarted Host sends a little more than asked (from 5 bytes earlier): the client must trim it.
            var overlap = request.Clone();
            overlap.StdoutOffset = Math.Max(0, request.StdoutOffset - 5);
            overlap.StderrOffset = Math.Max(0, request.StderrOffset - 5);
            await script.PlayAsync(overlap, writer, context.CancellationToken);
        };

        var exitCode = await cli.RunAsync(host, "logs", "--follow", TaskId);

        Assert.Equal(0, exitCode);
        Assert.Equal(stdout, cli.StdoutBytes);
        var watches = host.Tasks.Watches.ToArray();
        Assert.Equal(2, watches.Length);
        Assert.Equal((firstStdout, firstStderr), (watches[1].StdoutOffset, watches[1].StderrOffset));
        var messages = cli.Stderr.Split('\n').Where(line => line.StartsWith("riverrun: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, messages.Length);
        Assert.StartsWith($"riverrun: lost the output stream from the Host at {host.Address}", messages[0], StringComparison.Ordinal);
        Assert.EndsWith($"reconnecting and resuming at stdout byte {firstStdout}, stderr byte {firstStderr}", messages[0], StringComparison.Ordinal);
        Assert.Equal($"riverrun: reconnected to the Host; resuming the output of task {TaskId}", messages[1]);
        var taskStderr = string.Join('\n', cli.Stderr.Split('\n').Where(line => !line.StartsWith("riverrun: ", StringComparison.Ordinal)));
        Assert.Equal(Encoding.UTF8.GetString(stderr), taskStderr);
    }

    [Fact]
    public async Task A_stream_the_Host_ends_before_the_task_ended_is_resumed_too()
    {
        await using var host = await FakeHost.StartAsync();
        var script = new TaskScript { Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0), Stdout = Encoding.UTF8.GetBytes("abcdefghij") };
        host.Tasks.OnWatch = async (request, writer, context) =>
        {
            if (host.Tasks.Watches.Count == 1)
            {
                await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(TaskId, TaskState.Running) });
                await SendAsync(writer, OutputStream.Stdout, script.Stdout, 0, 4);
                return;
            }

            await script.PlayAsync(request, writer, context.CancellationToken);
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "logs", "-f", TaskId);

        Assert.Equal(0, exitCode);
        Assert.Equal("abcdefghij", cli.Stdout);
        Assert.Equal(4, host.Tasks.Watches.ToArray()[1].StdoutOffset);
    }

    [Fact]
    public async Task An_unknown_task_is_a_usage_error_with_the_Host_message()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "logs", TaskId);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"riverrun: task {TaskId} does not exist\n", cli.Stderr);
    }

    private static async Task SendAsync(Grpc.Core.IServerStreamWriter<WatchOutputResponse> writer, OutputStream stream, byte[] data, int from, int to)
    {
        for (var offset = from; offset < to; offset += 10)
        {
            var length = Math.Min(10, to - offset);
            await writer.WriteAsync(new WatchOutputResponse
            {
                Output = new OutputChunk { Stream = stream, Offset = offset, Data = Google.Protobuf.ByteString.CopyFrom(data, offset, length) },
            });
        }
    }
}
