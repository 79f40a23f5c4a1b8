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
    private readonly SchedulerState _state = new();
    private readonly SchedulingGate _gate = new();
    private readonly TaskLifecycle _lifecycle;
    private readonly Scheduler _scheduler;
    private readonly List<RunnerConnection> _connections = [];

    public SchedulerTests()
    {
        _store = new SqliteTaskStore(_directory.Path, TimeProvider.System);
        var signal = new SchedulerSignal();
        _lifecycle = new TaskLifecycle(_store, _state, new TaskChangeNotifier(), signal, TestMetrics.Create(), NullLogger<TaskLifecycle>.Instance);
        _scheduler = new Scheduler(_state, _nodes, _lifecycle, signal, _gate, TimeProvider.System, NullLogger<Scheduler>.Instance);
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
        await SubmitAsync(tasks);

        Assert.Equal(2, await _scheduler.RunPassAsync(CancellationToken.None));

        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(tasks[0].Id))!.State);
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(tasks[1].Id))!.State);
        Assert.Equal(TaskState.Queued, (await _store.GetAsync(tasks[2].Id))!.State);
        Assert.Equal([tasks[0].Id.Value, tasks[1].Id.Value], (await runner.WaitForMessagesAsync(2)).Select(m => m.Start.TaskId));
    }

    [Fact]
    public async Task A_burst_of_zero_core_tasks_hands_a_node_only_as_many_as_it_may_start_at_once_the_rest_stay_queued()
    {
        var runner = Connect("node1", cores: 2);
        var tasks = Enumerable.Range(0, 40).Select(_ => TestTasks.Queued(0, target: "node1")).ToArray();
        await SubmitAsync(tasks);

        Assert.Equal(32, await _scheduler.RunPassAsync(CancellationToken.None));

        Assert.Equal(tasks[..32].Select(t => t.Id.Value), (await runner.WaitForMessagesAsync(32)).Select(m => m.Start.TaskId));
        Assert.Equal(8, (await Task.WhenAll(tasks.Select(t => _store.GetAsync(t.Id)))).Count(t => t!.State == TaskState.Queued));
        Assert.Equal(0, await _scheduler.RunPassAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Each_task_that_starts_lets_the_next_pass_hand_its_node_the_oldest_waiting_one()
    {
        var runner = Connect("node1", cores: 2);
        var tasks = Enumerable.Range(0, 34).Select(_ => TestTasks.Queued(0)).ToArray();
        await SubmitAsync(tasks);
        await _scheduler.RunPassAsync(CancellationToken.None);

        await _lifecycle.ChangeAsync(tasks[5].Id, t => t with { State = TaskState.Running }, "started", CancellationToken.None);

        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal(tasks[32].Id.Value, (await runner.WaitForMessagesAsync(33))[32].Start.TaskId);
        Assert.Equal([tasks[33].Id], _state.QueuedOldestFirst().Select(t => t.Id));
    }

    [Fact]
    public async Task A_pass_over_a_backlog_of_ten_thousand_reads_nothing_from_the_store_and_places_only_what_its_node_may_start()
    {
        Connect("node1", cores: 2);
        var counting = new CountingTaskStore(_store);
        var lifecycle = new TaskLifecycle(counting, _state, new TaskChangeNotifier(), new SchedulerSignal(), TestMetrics.Create(), NullLogger<TaskLifecycle>.Instance);
        using var scheduler = new Scheduler(_state, _nodes, lifecycle, new SchedulerSignal(), _gate, TimeProvider.System, NullLogger<Scheduler>.Instance);
        await SubmitAsync([.. Enumerable.Range(0, 10_000).Select(_ => TestTasks.Queued(0, target: "node1"))]);

        Assert.Equal(32, await scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal(0, await scheduler.RunPassAsync(CancellationToken.None));

        Assert.Equal(0, counting.Reads);
        Assert.Equal(32, counting.Updates);
        Assert.Equal(10_000 - 32, _state.QueuedCount);
    }

    [Fact]
    public async Task A_task_cancelled_before_its_submit_queued_it_is_dropped_by_the_pass_and_its_room_goes_to_the_next()
    {
        var runner = Connect("node1", cores: 1);
        var cancelled = TestTasks.Queued(1, target: "node1");
        var next = TestTasks.Queued(1, target: "node1");
        await _store.InsertAsync([cancelled, next]);
        await _store.TryUpdateAsync(cancelled with { State = TaskState.Cancelled }, TaskState.Queued, "killed by user");
        _state.Enqueue([cancelled, next]);

        Assert.Equal(0, await _scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal([next.Id], _state.QueuedOldestFirst().Select(t => t.Id));

        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal(next.Id.Value, Assert.Single(await runner.WaitForMessagesAsync(1)).Start.TaskId);
    }

    [Fact]
    public async Task A_task_waiting_for_a_full_node_does_not_hold_up_a_later_task_for_another_node()
    {
        Connect("node1", cores: 1);
        var node2 = Connect("node2", cores: 1);
        var blocked = TestTasks.Queued(2, target: "node1");
        var later = TestTasks.Queued(1, target: "node2");
        await SubmitAsync([blocked, later]);

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
        await SubmitAsync([task]);

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

        var state = new SchedulerState();
        state.Load(tasks);

        var snapshot = Assert.Single(state.Snapshots(new NodeCapacities([view])));

        Assert.Equal(new Resources(3, 300), snapshot.Allocated);
        Assert.Equal(new Resources(5, 700), snapshot.Free);
        Assert.Equal(1, snapshot.Starting);
        Assert.False(snapshot.Connected);
    }

    [Fact]
    public void Each_node_holds_only_its_own_tasks_and_a_task_on_an_unknown_node_holds_nothing()
    {
        TaskRecord On(string node, double cores) => TestTasks.Queued(cores, memory: 10) with { State = TaskState.Running, Node = node };
        var nodes = new NodeCapacities([new NodeCapacity("b", true, new Resources(8, 1000)), new NodeCapacity("a", true, new Resources(4, 1000))]);

        var state = new SchedulerState();
        state.Load([On("a", 1), On("b", 2), On("a", 1), On("gone", 4)]);

        var snapshots = state.Snapshots(nodes);

        Assert.Equal(["a", "b"], snapshots.Select(s => s.Name));
        Assert.Equal([new Resources(2, 20), new Resources(2, 10)], snapshots.Select(s => s.Allocated));
    }

    [Fact]
    public async Task A_task_for_a_node_that_is_not_connected_stays_queued()
    {
        var now = DateTimeOffset.UtcNow;
        _nodes.Load([new NodeRecord("away", new Resources(4, 1 << 30), new V1.Register { Name = "away" }, now)]);
        var task = TestTasks.Queued(1, target: "away");
        await SubmitAsync([task]);

        Assert.Equal(0, await _scheduler.RunPassAsync(CancellationToken.None));
        Assert.Equal(TaskState.Queued, (await _store.GetAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_runner_whose_stream_does_not_drain_delays_no_pass_and_the_next_task_starts_on_another_node()
    {
        var stalled = Connect("stalled", cores: 4, stalled: true);
        var healthy = Connect("healthy", cores: 2);
        var first = TestTasks.Queued(4);
        await SubmitAsync([first]);

        // The pass places the task on the node with the most room and returns while its
        // StartTask still sits in that node's stream: it never waits for a Runner to read.
        // (The guard turns a pass stuck behind the stalled write into a failure, not a hang.)
        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("stalled", (await _store.GetAsync(first.Id))!.Node);
        Assert.Empty(stalled.Messages);

        var second = TestTasks.Queued(1);
        await SubmitAsync([second]);
        Assert.Equal(1, await _scheduler.RunPassAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("healthy", (await _store.GetAsync(second.Id))!.Node);
        Assert.Equal(second.Id.Value, Assert.Single(await healthy.WaitForMessagesAsync(1)).Start.TaskId);
        Assert.Empty(stalled.Messages);
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(first.Id))!.State);
    }

    // As TaskSubmission does: stored, then queued for the scheduler.
    private async Task SubmitAsync(TaskRecord[] tasks)
    {
        await _store.InsertAsync(tasks);
        _state.Enqueue(tasks);
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
