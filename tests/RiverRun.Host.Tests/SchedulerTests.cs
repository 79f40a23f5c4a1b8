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
        Assert.Equal([tasks[0].Id.Value, tasks[1].Id.Value], runner.Messages.Select(m => m.Start.TaskId));
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
        Assert.Equal(later.Id.Value, Assert.Single(node2.Messages).Start.TaskId);
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
        Assert.Single(big.Messages);
    }

    [Fact]
    public void Room_counts_assigned_running_and_paused_tasks_but_not_ended_ones()
    {
        var now = DateTimeOffset.UtcNow;
        TaskRecord Placed(TaskState state) => TestTasks.Queued(1, memory: 100) with { State = state, Node = "node1" };
        var tasks = new[]
        {
            Placed(TaskState.Assigned), Placed(TaskState.Running), Placed(TaskState.Paused),
            Placed(TaskState.Succeeded), TestTasks.Queued(1, memory: 100),
        };
        var view = new NodeView("node1", new Resources(8, 1000), new V1.Register(), null, now, null);

        var snapshot = NodeAllocation.Snapshots([view], tasks)["node1"];

        Assert.Equal(new Resources(3, 300), snapshot.Allocated);
        Assert.Equal(new Resources(5, 700), snapshot.Free);
        Assert.False(snapshot.Connected);
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

    private CapturingStreamWriter<V1.HostMessage> Connect(string name, double cores)
    {
        var writer = new CapturingStreamWriter<V1.HostMessage>();
        var connection = new RunnerConnection(name, writer, CancellationToken.None);
        _connections.Add(connection);
        var registration = new V1.Register { Name = name, Capacity = new V1.Resources { Cores = cores, MemoryBytes = 1L << 30 } };
        _nodes.Attach(new NodeRecord(name, new Resources(cores, 1L << 30), registration, DateTimeOffset.UtcNow), connection);
        return writer;
    }
}
