using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;

namespace RiverRun.Host.Tests;

public sealed class SchedulerStateTests
{
    private const long G = 1L << 30;

    private static readonly NodeCapacities Nodes = new([
        new NodeCapacity("node1", Connected: true, new Resources(8, 16 * G)),
        new NodeCapacity("node2", Connected: true, new Resources(4, 8 * G)),
    ]);

    private readonly SchedulerState _state = new();

    [Fact]
    public void Queued_tasks_come_out_oldest_first_whatever_node_they_target()
    {
        var tasks = new[] { TestTasks.Queued(target: "node2"), TestTasks.Queued(), TestTasks.Queued(target: "node1"), TestTasks.Queued(target: "node2") };
        _state.Enqueue(tasks[..2]);
        _state.Enqueue(tasks[2..]);

        Assert.Equal(tasks.Select(t => t.Id), _state.QueuedOldestFirst().Select(t => t.Id));
        Assert.Equal(4, _state.QueuedCount);
    }

    [Fact]
    public void Targets_left_out_of_a_walk_cost_nothing_and_the_rest_keep_their_order()
    {
        var tasks = new[] { TestTasks.Queued(target: "node1"), TestTasks.Queued(), TestTasks.Queued(target: "node1"), TestTasks.Queued(target: "node2") };
        _state.Enqueue(tasks);
        var visited = new List<TaskId>();

        _state.VisitQueued(target => target != "node1", task => { visited.Add(task.Id); return true; });

        Assert.Equal([tasks[1].Id, tasks[3].Id], visited);
    }

    [Fact]
    public void A_walk_stops_where_the_visitor_says_so()
    {
        var tasks = Enumerable.Range(0, 5).Select(_ => TestTasks.Queued()).ToArray();
        _state.Enqueue(tasks);
        var visited = 0;

        _state.VisitQueued(_ => true, _ => ++visited < 2);

        Assert.Equal(2, visited);
    }

    [Fact]
    public void A_cancelled_task_leaves_the_queue_and_the_others_keep_their_order()
    {
        var tasks = new[] { TestTasks.Queued(), TestTasks.Queued(), TestTasks.Queued() };
        _state.Enqueue(tasks);

        _state.Apply(tasks[1] with { State = TaskState.Cancelled });

        Assert.Equal([tasks[0].Id, tasks[2].Id], _state.QueuedOldestFirst().Select(t => t.Id));
        Assert.Equal(2, _state.QueuedCount);
    }

    [Fact]
    public void A_task_sent_back_to_the_queue_keeps_its_place_ahead_of_tasks_submitted_after_it()
    {
        var first = TestTasks.Queued();
        var later = TestTasks.Queued();
        _state.Enqueue([first]);
        _state.Apply(first with { State = TaskState.Assigned, Node = "node1" });
        _state.Enqueue([later]);

        _state.Apply(first with { State = TaskState.Queued, Node = null });

        Assert.Equal([first.Id, later.Id], _state.QueuedOldestFirst().Select(t => t.Id));
    }

    [Fact]
    public void A_node_holds_what_its_assigned_running_and_paused_tasks_asked_and_counts_the_starting_ones()
    {
        var tasks = new[] { TestTasks.Queued(1.5, G), TestTasks.Queued(0.25, G), TestTasks.Queued(2, 0) };
        _state.Enqueue(tasks);

        _state.Apply(tasks[0] with { State = TaskState.Assigned, Node = "node1" });
        _state.Apply(tasks[1] with { State = TaskState.Assigned, Node = "node1" });
        _state.Apply(tasks[1] with { State = TaskState.Running, Node = "node1" });
        _state.Apply(tasks[2] with { State = TaskState.Assigned, Node = "node2" });
        _state.Apply(tasks[2] with { State = TaskState.Paused, Node = "node2" });

        var snapshots = _state.Snapshots(Nodes);
        Assert.Equal(new Resources(1.75, 2 * G), snapshots[0].Allocated);
        Assert.Equal(1, snapshots[0].Starting);
        Assert.Equal(new Resources(2, 0), snapshots[1].Allocated);
        Assert.Equal(0, snapshots[1].Starting);
        Assert.Equal(0, _state.QueuedCount);
        Assert.Equal(2, _state.RunningCount);
    }

    [Fact]
    public void Hundreds_of_fractional_tasks_ending_give_their_node_back_exactly_what_it_had()
    {
        var tasks = Enumerable.Range(0, 300).Select(_ => TestTasks.Queued(0.1, 1)).ToArray();
        _state.Enqueue(tasks);
        foreach (var task in tasks)
        {
            _state.Apply(task with { State = TaskState.Running, Node = "node1" });
        }

        Assert.Equal(new Resources(30, 300), _state.Snapshots(Nodes)[0].Allocated);
        foreach (var task in tasks)
        {
            _state.Apply(task with { State = TaskState.Succeeded, Node = "node1" });
        }

        Assert.Equal(Resources.None, _state.Snapshots(Nodes)[0].Allocated);
        Assert.Equal(0, _state.RunningCount);
    }

    [Fact]
    public void A_change_takes_away_what_the_task_held_before_even_when_the_new_record_names_another_node()
    {
        var task = TestTasks.Queued(2, G);
        _state.Enqueue([task]);
        _state.Apply(task with { State = TaskState.Assigned, Node = "node1" });

        // Whatever the caller of the next change had read, the task held node1 until now.
        _state.Apply(task with { State = TaskState.Running, Node = "node2" });

        var snapshots = _state.Snapshots(Nodes);
        Assert.Equal(Resources.None, snapshots[0].Allocated);
        Assert.Equal(new Resources(2, G), snapshots[1].Allocated);
    }

    [Fact]
    public void A_task_the_pass_finds_cancelled_in_the_store_is_dropped_but_one_changed_here_since_is_kept()
    {
        var cancelled = TestTasks.Queued();
        var placedSince = TestTasks.Queued();
        _state.Enqueue([cancelled, placedSince]);
        var staleRecord = _state.QueuedOldestFirst()[1];
        _state.Apply(placedSince with { State = TaskState.Assigned, Node = "node1" });

        _state.Forget(cancelled, cancelled with { State = TaskState.Cancelled });
        _state.Forget(staleRecord, staleRecord with { State = TaskState.Cancelled });

        Assert.Empty(_state.QueuedOldestFirst());
        Assert.Equal(1, _state.Snapshots(Nodes)[0].Starting);
    }

    [Fact]
    public async Task Loaded_from_the_store_after_a_restart_it_knows_what_it_knew_before_it()
    {
        using var directory = new TempDirectory();
        using var store = new SqliteTaskStore(directory.Path, TimeProvider.System);
        var lifecycle = new TaskLifecycle(store, _state, new TaskChangeNotifier(), new SchedulerSignal(), TestMetrics.Create(), NullLogger<TaskLifecycle>.Instance);
        var tasks = Enumerable.Range(0, 6).Select(i => TestTasks.Queued(i * 0.5, G, target: i % 2 == 0 ? null : "node2")).ToArray();
        await store.InsertAsync(tasks);
        _state.Enqueue(tasks);
        await lifecycle.ChangeAsync(tasks[0].Id, t => t with { State = TaskState.Assigned, Node = "node1" }, "placed", CancellationToken.None);
        await lifecycle.ChangeAsync(tasks[1].Id, t => t with { State = TaskState.Assigned, Node = "node2" }, "placed", CancellationToken.None);
        await lifecycle.ChangeAsync(tasks[1].Id, t => t with { State = TaskState.Running }, "started", CancellationToken.None);
        await lifecycle.ChangeAsync(tasks[2].Id, t => t with { State = TaskState.Cancelled }, "killed", CancellationToken.None);
        await lifecycle.ChangeAsync(tasks[3].Id, t => t with { State = TaskState.Assigned, Node = "node2" }, "placed", CancellationToken.None);
        await lifecycle.ChangeAsync(tasks[3].Id, t => t with { State = TaskState.Queued, Node = null }, "node lost", CancellationToken.None);

        var restarted = new SchedulerState();
        restarted.Load(await store.ListActiveAsync());

        Assert.Equal([tasks[3].Id, tasks[4].Id, tasks[5].Id], restarted.QueuedOldestFirst().Select(t => t.Id));
        Assert.Equal(_state.QueuedOldestFirst().Select(t => t.Id), restarted.QueuedOldestFirst().Select(t => t.Id));
        Assert.Equal(_state.Snapshots(Nodes), restarted.Snapshots(Nodes));
        Assert.Equal(new Resources(0, G), restarted.Snapshots(Nodes)[0].Allocated);
        Assert.Equal(1, restarted.RunningCount);
    }
}
