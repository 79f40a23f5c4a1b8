using Microsoft.Extensions.DependencyInjection;
using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>What happens to a node's tasks when its Runner goes away, with a manual clock driving the timeout.</summary>
public sealed class NodeLossTests : IAsyncLifetime
{
    private static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-node-loss-tests-").FullName;
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory, _clock, LostAfter);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_running_task_whose_node_stays_away_past_the_timeout_ends_lost_and_its_follower_stops_waiting()
    {
        var id = await RunningTaskOnDisconnectedNodeAsync();
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        await using var watch = _host.Tasks.Watch(new V1.WatchOutputRequest { TaskId = id, Follow = true }, timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(V1.TaskState.Running, watch.Current.Task.State);
        await _clock.WaitForArmedTimersAsync(LostAfter);

        _clock.Advance(LostAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(V1.TaskState.Running, (await GetAsync(id)).State);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var last = watch.Current;
        while (await watch.MoveNextAsync())
        {
            last = watch.Current;
        }

        Assert.Equal(V1.TaskState.Lost, last.Task.State);
        Assert.Equal("node 'node1' has been disconnected for 10m; its tasks are considered lost", last.Task.Reason);
        Assert.NotNull(last.Task.FinishedAt);
        var node = Assert.Single((await _host.Nodes.ListAsync(new V1.ListNodesRequest())).Nodes);
        Assert.Equal(0, node.Allocated.Cores);
    }

    [Fact]
    public async Task A_runner_that_reconnects_before_the_timeout_keeps_its_running_task()
    {
        var id = await RunningTaskOnDisconnectedNodeAsync();
        await _clock.WaitForArmedTimersAsync(LostAfter);
        _clock.Advance(LostAfter - TimeSpan.FromMinutes(1));

        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", held: new V1.HeldTask { TaskId = id, Running = true });
        Assert.Equal(0, _clock.ArmedTimers(LostAfter));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(id, Assert.Single(runner.Registered.Resume).TaskId);
        Assert.Empty(runner.Registered.ForgetTaskIds);
        Assert.Equal(V1.TaskState.Running, (await GetAsync(id)).State);
        // LOST is final: only a task that is still RUNNING can end as its Runner reports.
        await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, 0, 0);
        Assert.Equal(V1.TaskState.Succeeded, (await WaitForStateAsync(id, V1.TaskState.Succeeded)).State);
    }

    [Fact]
    public async Task An_assigned_task_whose_node_stays_away_is_queued_again_and_placed_on_another_node()
    {
        var (id, node2) = await AssignedTaskMovedToNode2Async();
        await using (node2)
        {
            var task = await GetAsync(id);
            Assert.Equal(V1.TaskState.Assigned, task.State);
            Assert.Equal("node2", task.Node);
            var transitions = await _host.Services.GetRequiredService<ITaskStore>().ListTransitionsAsync(TaskId.Parse(id));
            var requeue = Assert.Single(transitions, t => t.To == TaskState.Queued && t.From == TaskState.Assigned);
            Assert.Equal("node 'node1' went away before starting it; waiting to be placed again", requeue.Reason);
        }
    }

    [Fact]
    public async Task A_runner_that_reconnects_after_its_task_went_lost_is_told_to_forget_it()
    {
        var id = await RunningTaskOnDisconnectedNodeAsync();
        await _clock.WaitForArmedTimersAsync(LostAfter);
        _clock.Advance(LostAfter);
        await WaitForStateAsync(id, V1.TaskState.Lost);

        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", held: new V1.HeldTask { TaskId = id, Running = true });
        Assert.Equal([id], runner.Registered.ForgetTaskIds);
        Assert.Empty(runner.Registered.Resume);
        // A late exit report is acknowledged (so the Runner drops its spool) but changes nothing.
        await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, 0, 0);
        await runner.WaitForAckAsync(id, 0, 0);

        Assert.Equal(V1.TaskState.Lost, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task A_runner_that_reconnects_holding_a_task_placed_elsewhere_is_told_to_forget_it_and_cannot_move_it()
    {
        var (id, node2) = await AssignedTaskMovedToNode2Async();
        await using (node2)
        {
            await using var node1 = await FakeRunner.ConnectAsync(_host, "node1", held: new V1.HeldTask { TaskId = id, Running = true });
            Assert.Equal([id], node1.Registered.ForgetTaskIds);
            await node1.StartedAsync(id);
            await node1.ExitedAsync(id, V1.TaskState.Failed, 1, 0, 0);
            // Reports on one stream are handled in order: once a later task of node1 runs, those two were dropped.
            var marker = await SubmitAsync("node1");
            await node1.WaitForStartAsync();
            await node1.StartedAsync(marker);
            await WaitForStateAsync(marker, V1.TaskState.Running);

            var task = await GetAsync(id);
            Assert.Equal(V1.TaskState.Assigned, task.State);
            Assert.Equal("node2", task.Node);
        }
    }

    /// <summary>A task RUNNING on node1, whose Runner has then disconnected.</summary>
    private async Task<string> RunningTaskOnDisconnectedNodeAsync()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var id = await SubmitAsync("node1");
        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);
        await WaitForStateAsync(id, V1.TaskState.Running);
        return id;
    }

    /// <summary>An untargeted task sent to node1, which went away before starting it; once node1 is lost it is sent to node2.</summary>
    private async Task<(string Id, FakeRunner Node2)> AssignedTaskMovedToNode2Async()
    {
        string id;
        await using (var node1 = await FakeRunner.ConnectAsync(_host, "node1"))
        {
            id = await SubmitAsync(target: null);
            Assert.Equal(id, (await node1.WaitForStartAsync()).TaskId);
        }

        var node2 = await FakeRunner.ConnectAsync(_host, "node2");
        await _clock.WaitForArmedTimersAsync(LostAfter);
        _clock.Advance(LostAfter);
        Assert.Equal(id, (await node2.WaitForStartAsync()).TaskId);
        return (id, node2);
    }

    private async Task<string> SubmitAsync(string? target)
    {
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "sleep", "60") };
        if (target is not null)
        {
            request.Targets.Add(new V1.TargetSelector { Node = target });
        }

        return Assert.Single((await _host.Tasks.SubmitAsync(request)).Tasks).Id;
    }

    private Task<V1.TaskInfo> GetAsync(string id) => _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id }).ResponseAsync;

    /// <summary>Follows the task's state changes through WatchOutput until it reaches <paramref name="state"/>.</summary>
    private async Task<V1.TaskInfo> WaitForStateAsync(string id, V1.TaskState state)
    {
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        await foreach (var e in _host.Tasks.Watch(new V1.WatchOutputRequest { TaskId = id, Follow = true }, timeout.Token))
        {
            if (e.Task?.State == state)
            {
                return e.Task;
            }
        }

        throw new InvalidOperationException($"task {id} ended without reaching {state}");
    }
}
