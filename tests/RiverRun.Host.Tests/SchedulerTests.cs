using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Runners;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

public sealed class SchedulerTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteTaskStore _store;
    private readonly NodeRegistry _nodes = new();
    private readonly SchedulingGate _gate = new();
    private readonly Scheduler _scheduler;
    private readonly List<RunnerConnection> _connections = [];

    public SchedulerTests()
    {
        _store = new SqliteTaskStore(_directory.Path, TimeProvider.System);
        var signal = new SchedulerSignal();
        var lifecycle = new TaskLifecycle(_store, new TaskChangeNotifier(), signal, TestMetrics.Create(), NullLogger<TaskLifecycle>.Instance);
        _scheduler = new Scheduler(_store, _nodes, lifecycle, signal, _gate, TimeProvider.System, NullLogger<Scheduler>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _scheduler.Dispose();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _gate.Dispose();
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Tasks_wait_queued_until_their_node_has_room_and_take_it_oldest_first()
    {
        var runner = Connect("node1", cores: 2);
        var tasks = new[] { TestTasks.Queued(1, target: "node1"), TestTasks.Queued(1, target: "node1"), TestTasks.Queued(1, target: "node1") };
        await _store.InsertAsync(tasks);

        Assert.Equal(2, await _scheduler.RunPassAsync(CancellationToken.None));

        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(tasks[0].Id))!.State);
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(tasks[1].Id))!.State);
        Assert.Equal(TaskState.Queued, (await _store.GetAsync(tasks[2].Id))!.State);
        Assert.Equal([tasks[0].Id.Value, tasks[1].Id.Value], (await runner.WaitForMessagesAsync(2)).Select(m => m.Start.TaskId));
    }

    [Fact]
    public async Task A_task_waiting_for_a_full_node_does_not_hold_up_a_later_task_for_another_node()
    {
        Connect("node1", cores: 1);
        var node2 = Connect("node2", cores: 1);
        var blocked = TestTasks.Queued(2, target: "node1");
        var later = TestTasks.Queued(1, target: "node2");
        await _store.InsertAsync([blocked, later]);

        await _scheduler.RunPassAsync(CancellationToken.None);

        Assert.Equal(TaskState.Queued, (await _store.GetAsync(blocked.Id))!.State);
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(later.Id))!.State);
        Assert.Equal(later.Id.Value, Assert.Single(await node2.WaitForMessagesAsync(1)).Start.TaskId);
    }

    [Fact]
    public async Task A_task_without_a_target_goes_to_the_connected_node_with_the_most_free_room()
    {
        Connect("small", cores: 2);
        var big = Connect("big", cores: 8);
        var task = TestTasks.Queued(1);
        await _store.InsertAsync([task]);

        await _scheduler.RunPassAsync(CancellationToken.None);

        Assert.Equal("big", (await _store.GetAsync(task.Id))!.Node);
        Assert.Single(await big.WaitForMessagesAsync(1));
    }

    [Fact]
    public void Room_counts_assigned_running_and_paused_tasks_but_not_ended_ones()
    {
        TaskRecord Placed(TaskState state) => TestTasks.Queued(1, memory: 100) with { State = state, Node = "node1" };
        var tasks = new[]
        {
            Placed(TaskState.Assigned), Placed(TaskState.Running), Placed(TaskState.Paused),
            Placed(TaskState.Succeeded), TestTasks.Queued(1, memory: 100),
        };
        var view = new NodeCapacity("node1", Connected: false, new Resources(8, 1000));

        var snapshot = Assert.Single(NodeAllocation.Snapshots(new NodeCapacities([view]), tasks));

        Assert.Equal(new Resources(3, 300), snapshot.Allocated);
        Assert.Equal(new Resources(5, 700), snapshot.Free);
        Assert.False(snapshot.Connected);
    }

    [Fact]
    public void Each_node_holds_only_its_own_tasks_and_a_task_on_an_unknown_node_holds_nothing()
    {
        TaskRecord On(string node, double cores) => TestTasks.Queued(cores, memory: 10) with { State = TaskState.Running, Node = node };
        var nodes = new NodeCapacities([new NodeCapacity("b", true, new Resources(8, 1000)), new NodeCapacity("a", true, new Resources(4, 1000))]);

        var snapshots = NodeAllocation.Snapshots(nodes, [On("a", 1), On("b", 2), On("a", 1), On("gone", 4)]);

        Assert.Equal(["a", "b"], snapshots.Select(s => s.Name));
        Assert.Equal([new Resources(2, 20), new Resources(2, 10)], snapshots.Select(s => s.Allocated));
    }

    [Fact]
    public async Task A_task_for_a_node_that_is_not_connected_stays_queued()
    {
        var now = DateTimeOffset.UtcNow;
        _nodes.Load([new NodeRecord("away", new Resources(4, 1 << 30), new V1.Register { Name = "away" }, now)]);
        var task = TestTasks.Queued(1, target: "away");
        await _store.InsertAsync([task]);

        Assert.Equal(0, await _scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal(TaskState.Queued, (await _store.GetAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_runner_whose_stream_does_not_drain_delays_no_pass_and_the_next_task_starts_on_another_node()
    {
        var stalled = Connect("stalled", cores: 4, stalled: true);
        var healthy = Connect("healthy", cores: 2);
        var first = TestTasks.Queued(4);
        await _store.InsertAsync([first]);

        // The pass places the task on the node with the most room and returns while its
        // StartTask still sits in that node's stream: it never waits for a Runner to read.
        // (The guard turns a pass stuck behind the stalled write into a failure, not a hang.)
        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("stalled", (await _store.GetAsync(first.Id))!.Node);
        Assert.Empty(stalled.Messages);

        var second = TestTasks.Queued(1);
        await _store.InsertAsync([second]);
        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("healthy", (await _store.GetAsync(second.Id))!.Node);
        Assert.Equal(second.Id.Value, Assert.Single(await healthy.WaitForMessagesAsync(1)).Start.TaskId);
        Assert.Empty(stalled.Messages);
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(first.Id))!.State);
    }

    private CapturingStreamWriter<V1.HostMessage> Connect(string name, double cores, bool stalled = false)
    {
        var writer = new CapturingStreamWriter<V1.HostMessage>(stalled);
        var connection = new RunnerConnection(name, writer, CancellationToken.None);
        _connections.Add(connection);
        var registration = new V1.Register { Name = name, Capacity = new V1.Resources { Cores = cores, MemoryBytes = 1L << 30 } };
        _nodes.Attach(new NodeRecord(name, new Resources(cores, 1L << 30), registration, DateTimeOffset.UtcNow), connection);
        return writer;
    }
}
