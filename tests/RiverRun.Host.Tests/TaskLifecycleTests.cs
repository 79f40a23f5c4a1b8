using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Core;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;

namespace RiverRun.Host.Tests;

public sealed class TaskLifecycleTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteTaskStore _store;
    private readonly TaskLifecycle _lifecycle;

    public TaskLifecycleTests()
    {
        _store = new SqliteTaskStore(_directory.Path, TimeProvider.System);
        _lifecycle = new TaskLifecycle(_store, new SchedulerState(), new TaskChangeNotifier(), new SchedulerSignal(), TestMetrics.Create(), NullLogger<TaskLifecycle>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_change_from_the_record_just_read_is_stored_without_reading_it_again()
    {
        var task = TestTasks.Queued();
        await _store.InsertAsync([task]);
        var seen = new List<TaskRecord>();

        var result = await _lifecycle.ChangeAsync(task, current => { seen.Add(current); return current with { State = TaskState.Assigned, Node = "node1" }; }, "placed", CancellationToken.None);

        Assert.True(result.Changed);
        Assert.Same(task, Assert.Single(seen));
        Assert.Equal(TaskState.Assigned, (await _store.GetAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_change_from_a_stale_record_is_decided_again_on_what_is_stored_and_never_overwrites_it()
    {
        var task = TestTasks.Queued();
        await _store.InsertAsync([task]);
        // Another writer cancelled the task after the caller read it QUEUED.
        await _store.TryUpdateAsync(task with { State = TaskState.Cancelled }, TaskState.Queued, "killed by user");
        var seen = new List<TaskState>();

        var result = await _lifecycle.ChangeAsync(
            task,
            current => { seen.Add(current.State); return current.State == TaskState.Queued ? current with { State = TaskState.Assigned, Node = "node1" } : null; },
            "placed",
            CancellationToken.None);

        Assert.False(result.Changed);
        Assert.Equal([TaskState.Queued, TaskState.Cancelled], seen);
        Assert.Equal(TaskState.Cancelled, (await _store.GetAsync(task.Id))!.State);
    }
}
