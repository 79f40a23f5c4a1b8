using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

public sealed class SqliteTaskStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_task_and_its_transitions_survive_closing_and_reopening_the_database()
    {
        var task = TestTasks.Queued(cores: 2, memory: 1 << 30, target: "node1");
        using (var store = Open())
        {
            await store.InsertAsync([task]);
            var assigned = task with { State = TaskState.Assigned, Node = "node1" };
            Assert.True(await store.TryUpdateAsync(assigned, TaskState.Queued, "placed on node1"));
            var running = assigned with { State = TaskState.Running, Unit = $"riverrun-{task.Id}.scope", StartedAt = DateTimeOffset.UtcNow };
            Assert.True(await store.TryUpdateAsync(running, TaskState.Assigned, "started"));
        }

        using var reopened = Open();
        var stored = await reopened.GetAsync(task.Id);
        Assert.NotNull(stored);
        Assert.Equal(TaskState.Running, stored.State);
        Assert.Equal("node1", stored.Node);
        Assert.Equal(task.Spec, stored.Spec);
        Assert.Equal("node1", stored.Target?.Node);
        Assert.Equal(new Resources(2, 1 << 30), stored.Requested);
        var transitions = await reopened.ListTransitionsAsync(task.Id);
        Assert.Equal(
            [(null, TaskState.Queued), (TaskState.Queued, TaskState.Assigned), (TaskState.Assigned, TaskState.Running)],
            transitions.Select(t => (t.From, t.To)).ToArray());
        Assert.Equal("placed on node1", transitions[1].Reason);
    }

    [Fact]
    public async Task Writes_that_arrive_together_all_land_and_one_that_fails_takes_none_of_the_others_with_it()
    {
        using var store = Open();
        var existing = TestTasks.Queued();
        await store.InsertAsync([existing]);
        var tasks = Enumerable.Range(0, 64).Select(_ => TestTasks.Queued()).ToList();

        // 64 submits at once (group-committed together) and one that repeats an id the store holds.
        var writes = tasks.Select(task => store.InsertAsync([task])).ToList();
        var duplicate = store.InsertAsync([TestTasks.Queued(), existing]);
        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => duplicate);

        using var reopened = Open();
        foreach (var task in tasks)
        {
            Assert.Equal(TaskState.Queued, (await reopened.GetAsync(task.Id))?.State);
        }

        // The failed write is all or none: its first task, which was fine, is not there either.
        Assert.Equal(65, (await reopened.ListAsync(new TaskQuery([], null, 1000, null))).Tasks.Count);
    }

    [Fact]
    public async Task An_update_from_a_state_the_task_is_no_longer_in_is_refused()
    {
        using var store = Open();
        var task = TestTasks.Queued();
        await store.InsertAsync([task]);
        Assert.True(await store.TryUpdateAsync(task with { State = TaskState.Cancelled }, TaskState.Queued, "cancelled"));

        var lateAssignment = await store.TryUpdateAsync(task with { State = TaskState.Assigned, Node = "n" }, TaskState.Queued, "placed");

        Assert.False(lateAssignment);
        Assert.Equal(TaskState.Cancelled, (await store.GetAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_task_in_a_final_state_can_never_be_changed()
    {
        using var store = Open();
        var task = TestTasks.Queued();
        await store.InsertAsync([task]);
        await store.TryUpdateAsync(task with { State = TaskState.Cancelled }, TaskState.Queued, "cancelled");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.TryUpdateAsync(task with { State = TaskState.Running }, TaskState.Cancelled, "late start"));
        Assert.Equal(2, (await store.ListTransitionsAsync(task.Id)).Count);
    }

    [Fact]
    public async Task A_transition_the_state_machine_forbids_is_rejected_before_anything_is_written()
    {
        using var store = Open();
        var task = TestTasks.Queued();
        await store.InsertAsync([task]);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.TryUpdateAsync(task with { State = TaskState.Succeeded }, TaskState.Queued, "skipped ahead"));
        Assert.Equal(TaskState.Queued, (await store.GetAsync(task.Id))!.State);
    }

    [Fact]
    public async Task Listing_pages_through_tasks_newest_first_without_repeats_or_gaps()
    {
        using var store = Open();
        var tasks = Enumerable.Range(0, 7).Select(_ => TestTasks.Queued()).ToList();
        foreach (var task in tasks)
        {
            await store.InsertAsync([task]);
        }

        var seen = new List<TaskId>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new TaskQuery([], null, 3, cursor));
            seen.AddRange(page.Tasks.Select(t => t.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(tasks.Select(t => t.Id).Reverse(), seen);
    }

    [Fact]
    public async Task Listing_filters_by_state_and_node()
    {
        using var store = Open();
        var onNode1 = TestTasks.Queued();
        var onNode2 = TestTasks.Queued();
        var queued = TestTasks.Queued();
        await store.InsertAsync([onNode1, onNode2, queued]);
        await store.TryUpdateAsync(onNode1 with { State = TaskState.Assigned, Node = "node1" }, TaskState.Queued, "placed");
        await store.TryUpdateAsync(onNode2 with { State = TaskState.Assigned, Node = "node2" }, TaskState.Queued, "placed");

        var assignedOnNode1 = await store.ListAsync(new TaskQuery([TaskState.Assigned], "node1", 10, null));
        var queuedOnly = await store.ListAsync(new TaskQuery([TaskState.Queued], null, 10, null));

        Assert.Equal([onNode1.Id], assignedOnNode1.Tasks.Select(t => t.Id));
        Assert.Equal([queued.Id], queuedOnly.Tasks.Select(t => t.Id));
        Assert.Null(queuedOnly.NextCursor);
    }

    [Fact]
    public async Task Active_tasks_come_oldest_first_and_leave_out_final_ones()
    {
        using var store = Open();
        var first = TestTasks.Queued();
        var cancelled = TestTasks.Queued();
        var last = TestTasks.Queued();
        await store.InsertAsync([first, cancelled, last]);
        await store.TryUpdateAsync(cancelled with { State = TaskState.Cancelled }, TaskState.Queued, "cancelled");

        var active = await store.ListActiveAsync();

        Assert.Equal([first.Id, last.Id], active.Select(t => t.Id));
    }

    [Fact]
    public async Task A_batch_insert_with_a_duplicate_id_creates_none_of_its_tasks()
    {
        using var store = Open();
        var existing = TestTasks.Queued();
        await store.InsertAsync([existing]);
        var fresh = TestTasks.Queued();

        await Assert.ThrowsAnyAsync<Exception>(() => store.InsertAsync([fresh, existing with { }]));

        Assert.Null(await store.GetAsync(fresh.Id));
    }

    [Fact]
    public async Task Statements_kept_compiled_work_again_after_one_of_them_failed_midway()
    {
        using var store = Open();
        var existing = TestTasks.Queued();
        await store.InsertAsync([existing]);
        await Assert.ThrowsAnyAsync<Exception>(() => store.InsertAsync([existing with { }]));
        var next = TestTasks.Queued();

        await store.InsertAsync([next]);
        Assert.True(await store.TryUpdateAsync(next with { State = TaskState.Assigned, Node = "node1" }, TaskState.Queued, "placed"));
        Assert.False(await store.TryUpdateAsync(next with { State = TaskState.Assigned, Node = "node2" }, TaskState.Queued, "placed"));

        Assert.Equal("node1", (await store.GetAsync(next.Id))!.Node);
        Assert.Equal([existing.Id], (await store.ListActiveAsync()).Where(t => t.State == TaskState.Queued).Select(t => t.Id));
        Assert.Equal([TaskState.Queued, TaskState.Assigned], (await store.ListTransitionsAsync(next.Id)).Select(t => t.To));
    }

    [Fact]
    public async Task A_node_registration_is_remembered_across_reopening()
    {
        var registration = new V1.Register { Name = "node1", Hostname = "box", Version = "1.0" };
        registration.Gpus.Add(new V1.Gpu { Index = 0, Name = "A100" });
        using (var store = Open())
        {
            await store.SaveNodeAsync(new NodeRecord("node1", new Resources(4, 8L << 30), registration, DateTimeOffset.UtcNow));
            await store.SaveNodeAsync(new NodeRecord("node1", new Resources(8, 8L << 30), registration, DateTimeOffset.UtcNow));
        }

        using var reopened = Open();
        var node = Assert.Single(await reopened.ListNodesAsync());
        Assert.Equal(new Resources(8, 8L << 30), node.Capacity);
        Assert.Equal("A100", Assert.Single(node.Registration.Gpus).Name);
    }

    [Fact]
    public async Task A_version_1_database_gains_the_usage_column_and_keeps_its_tasks()
    {
        var old = TestTasks.Queued();
        using (var v1 = Open())
        {
            await v1.InsertAsync([old]);
        }

        // Back to what a version-1 Host left: no usage or owner column, no tokens table, user_version 1.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(_directory.Path, SqliteTaskStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "ALTER TABLE tasks DROP COLUMN usage; ALTER TABLE tasks DROP COLUMN owner; DROP TABLE tokens; PRAGMA user_version = 1;";
            downgrade.ExecuteNonQuery();
        }

        var usage = new V1.TaskUsage { CpuTime = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(2)), PeakMemoryBytes = 1 << 20 };
        using (var upgraded = Open())
        {
            Assert.Equal(old.Id, (await upgraded.GetAsync(old.Id))?.Id);
            var ended = old with { State = TaskState.Cancelled, Usage = usage };
            Assert.True(await upgraded.TryUpdateAsync(ended, TaskState.Queued, "cancelled"));
        }

        using var reopened = Open();
        Assert.Equal(usage, (await reopened.GetAsync(old.Id))?.Usage);
    }

    private SqliteTaskStore Open() => new(_directory.Path, TimeProvider.System);
}
