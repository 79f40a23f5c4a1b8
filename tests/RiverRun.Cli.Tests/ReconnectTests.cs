using System.Text;
using Google.Protobuf;
using RiverRun.Cli.Streaming;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class ReconnectTests
{
    private static readonly string TaskId = FakeTasks.Id(100);

    [Fact]
    public async Task Run_survives_a_Host_restart_and_continues_the_output_where_it_stopped()
    {
        var stdout = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 40).Select(i => $"step {i}\n")));
        var tasks = new FakeTasks();
        var cli = new CliRun();
        var firstHost = await FakeHost.StartAsync(tasks: tasks);
        var port = firstHost.Port;
        tasks.OnWatch = async (request, writer, context) =>
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(TaskId, TaskState.Running) });
            await writer.WriteAsync(new WatchOutputResponse { Output = new OutputChunk { Stream = OutputStream.Stdout, Offset = 0, Data = ByteString.CopyFrom(stdout, 0, 100) } });
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };

        var run = cli.RunAsync(firstHost, "run", "--", "job");
        await cli.StandardOutput.As<CapturingStream>().WaitForLengthAsync(100).WaitAsync(CliRun.Patience);
        await firstHost.DisposeAsync();
        // The client notices, and keeps trying while nothing listens on the port.
        await cli.StandardError.WaitForLengthAsync(1).WaitAsync(CliRun.Patience);
        var script = new TaskScript { Final = TaskScript.Ended(TaskId, TaskState.Succeeded, exitCode: 0), Stdout = stdout, ChunkSize = 64 };
        tasks.OnWatch = (request, writer, context) => script.PlayAsync(request, writer, context.CancellationToken);
        await using var secondHost = await FakeHost.StartAsync(port, tasks);
        var exitCode = await run;

        Assert.Equal(0, exitCode);
        Assert.Equal(stdout, cli.StdoutBytes);
        var resumed = tasks.Watches.Last();
        Assert.Equal(100, resumed.StdoutOffset);
        Assert.Contains("riverrun: lost the output stream from the Host", cli.Stderr, StringComparison.Ordinal);
        Assert.Contains($"riverrun: reconnected to the Host; resuming the output of task {TaskId}", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Host_that_stays_away_ends_the_wait_with_69_and_how_to_reattach()
    {
        var tasks = new FakeTasks();
        var cli = new CliRun(reconnect: new ReconnectPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)));
        var host = await FakeHost.StartAsync(tasks: tasks);
        tasks.OnWatch = async (request, writer, context) =>
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = TaskScript.Ended(TaskId, TaskState.Running) });
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };

        var run = cli.RunAsync(host, "run", "--", "job");
        await tasks.FirstWatch.WaitAsync(CliRun.Patience);

        await host.DisposeAsync();
        var exitCode = await run;

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        var lines = cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("riverrun: lost the output stream from the Host", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("riverrun: gave up reconnecting to the Host", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith($"riverrun logs -f {TaskId}", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_backoff_doubles_up_to_its_cap()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

        var delays = Enumerable.Range(0, 8).Select(policy.DelayBefore).Select(d => d.TotalSeconds);

        Assert.Equal([0.5, 1, 2, 4, 8, 10, 10, 10], delays);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(10_000));
    }
}
