using Microsoft.Extensions.DependencyInjection;
using RiverRun.Core;
using RiverRun.Host.Output;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>
/// Output on its way through the Host: the spool-drop signal to the Runner, live fan-out to
/// followers, and per-task state let go once a task has ended.
/// </summary>
public sealed class OutputFlowTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-output-flow-").FullName;
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Once_the_end_and_the_whole_output_are_stored_the_Runner_is_told_to_drop_the_spool_with_the_stored_lengths()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var id = await SubmitAsync();
        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);
        await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "0123456789"u8.ToArray());
        await runner.OutputAsync(id, V1.OutputStream.Stderr, 0, "abc"u8.ToArray());
        await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, stdout: 10, stderr: 3);

        var drop = (await runner.WaitForAsync(m => m.DropSpool is not null)).DropSpool;
        var stored = await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id });

        Assert.Equal((id, 10L, 3L), (drop.TaskId, drop.StdoutLength, drop.StderrLength));
        Assert.Equal(V1.TaskState.Succeeded, stored.State);
    }

    [Fact]
    public async Task A_task_whose_output_falls_short_of_the_announced_lengths_keeps_its_spool()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var short_ = await SubmitAsync();
        await runner.WaitForStartAsync();
        await runner.StartedAsync(short_);
        await runner.OutputAsync(short_, V1.OutputStream.Stdout, 0, "01234"u8.ToArray());
        await runner.ExitedAsync(short_, V1.TaskState.Succeeded, 0, stdout: 10, stderr: 0);
        await runner.WaitForAckAsync(short_, 5, 0);
        // A second task after it on the same stream: its drop shows the Host is past the first.
        var complete = await SubmitAsync();
        await runner.WaitForStartAsync();
        await runner.StartedAsync(complete);
        await runner.ExitedAsync(complete, V1.TaskState.Succeeded, 0, stdout: 0, stderr: 0);

        var drop = (await runner.WaitForAsync(m => m.DropSpool is not null)).DropSpool;

        Assert.Equal(complete, drop.TaskId);
    }

    [Fact]
    public async Task Followers_of_many_tasks_get_every_byte_in_order_and_nothing_of_the_tasks_is_left_behind()
    {
        const int Tasks = 12;
        const int Chunks = 40;
        const int ChunkBytes = 100_000;
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", cores: 64);
        var ids = new List<string>();
        for (var i = 0; i < Tasks; i++)
        {
            ids.Add(await SubmitAsync());
        }

        var followers = ids.Select(id => CollectStdoutAsync(id)).ToList();
        foreach (var _ in ids)
        {
            await runner.WaitForStartAsync();
        }

        var expected = new Dictionary<string, byte[]>();
        foreach (var id in ids)
        {
            await runner.StartedAsync(id);
            var data = new byte[Chunks * ChunkBytes];
            new Random(id.GetHashCode(StringComparison.Ordinal)).NextBytes(data);
            expected[id] = data;
        }

        // Interleaved and fast, more chunks than a follower's queue holds: some followers fall
        // behind the feed and catch up from the file.
        for (var c = 0; c < Chunks; c++)
        {
            foreach (var id in ids)
            {
                await runner.OutputAsync(id, V1.OutputStream.Stdout, (long)c * ChunkBytes, expected[id][(c * ChunkBytes)..((c + 1) * ChunkBytes)]);
            }
        }

        foreach (var id in ids)
        {
            await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, stdout: Chunks * ChunkBytes, stderr: 0);
        }

        var received = await Task.WhenAll(followers).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var id in ids)
        {
            await runner.WaitForAsync(m => m.DropSpool?.TaskId == id);
        }

        for (var i = 0; i < Tasks; i++)
        {
            Assert.Equal(expected[ids[i]], received[i]);
        }

        // Every task ended and every follower left: no entry per task remains anywhere.
        await Eventually(() => _host.Services.GetRequiredService<OutputFeed>().SubscribedTasks == 0);
        Assert.Equal(0, _host.Services.GetRequiredService<OutputFeed>().SubscribedTasks);
        Assert.Equal(0, _host.Services.GetRequiredService<TaskChangeNotifier>().WaitedOnTasks);
        Assert.Equal(0, _host.Services.GetRequiredService<OutputLogStore>().OpenTasks);
    }

    [Fact]
    public void A_subscription_that_overflows_says_so_once_and_keeps_the_chunks_it_had()
    {
        var feed = new OutputFeed();
        var id = TaskId.Parse("t00000000042");
        using var subscription = feed.Subscribe(id);
        for (var i = 0; i < OutputFeed.QueuedChunks + 3; i++)
        {
            feed.Publish(id, new V1.OutputChunk { TaskId = id.Value, Stream = V1.OutputStream.Stdout, Offset = i });
        }

        var offsets = new List<long>();
        while (subscription.TryRead(out var chunk))
        {
            offsets.Add(chunk.Offset);
        }

        Assert.Equal(Enumerable.Range(0, OutputFeed.QueuedChunks).Select(i => (long)i), offsets);
        Assert.True(subscription.TakeMissed());
        Assert.False(subscription.TakeMissed());
        subscription.Dispose();
        Assert.Equal(0, feed.SubscribedTasks);
    }

    private async Task<string> SubmitAsync()
    {
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "echo", "hi") };
        request.Targets.Add(new V1.TargetSelector { Node = "node1" });
        var response = await _host.Tasks.SubmitAsync(request);
        return Assert.Single(response.Tasks).Id;
    }

    private async Task<byte[]> CollectStdoutAsync(string id)
    {
        using var bytes = new MemoryStream();
        var expectedOffset = 0L;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in _host.Tasks.Watch(new V1.WatchOutputRequest { TaskId = id, Follow = true }, timeout.Token))
        {
            if (e.Output is { } chunk)
            {
                // In offset order, no gaps, no repeats.
                Assert.Equal(expectedOffset, chunk.Offset);
                expectedOffset += chunk.Data.Length;
                chunk.Data.WriteTo(bytes);
            }
        }

        return bytes.ToArray();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + FakeRunner.Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
