using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Core;
using RiverRun.Host.Output;
using RiverRun.Host.Retention;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests.Retention;

public sealed class RetentionSweepTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);
    private readonly SqliteTaskStore _store;
    private readonly OutputLogStore _output;

    public RetentionSweepTests()
    {
        _store = new SqliteTaskStore(_directory.Path, _clock);
        _output = new OutputLogStore(_directory.Path);
    }

    public void Dispose()
    {
        _output.Dispose();
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_sweep_removes_old_finished_tasks_with_their_history_and_output_and_keeps_the_rest()
    {
        var old = await FinishedAsync(ago: TimeSpan.FromDays(40), stdout: "old output");
        var recent = await FinishedAsync(ago: TimeSpan.FromDays(1), stdout: "recent output");
        var running = await RunningAsync(startedAgo: TimeSpan.FromDays(60));

        var result = await Sweep(new RetentionRules(TimeSpan.FromDays(30), long.MaxValue)).RunAsync(CancellationToken.None);

        Assert.Equal(new RetentionSweepResult(1, 0, "old output".Length), result);
        Assert.Null(await _store.GetAsync(old));
        Assert.Empty(await _store.ListTransitionsAsync(old));
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, OutputLogStore.FolderName, old.Value)));
        Assert.NotNull(await _store.GetAsync(recent));
        Assert.Equal("recent output".Length, _output.GetLength(recent, V1.OutputStream.Stdout));
        // However old, a task that has not ended is never touched.
        Assert.Equal(TaskState.Running, (await _store.GetAsync(running))!.State);
    }

    [Fact]
    public async Task Beyond_the_output_budget_the_oldest_finished_tasks_go_first()
    {
        var oldest = await FinishedAsync(ago: TimeSpan.FromHours(3), stdout: new string('a', 600));
        var middle = await FinishedAsync(ago: TimeSpan.FromHours(2), stdout: new string('b', 600));
        var newest = await FinishedAsync(ago: TimeSpan.FromHours(1), stdout: new string('c', 300));

        var result = await Sweep(new RetentionRules(TimeSpan.FromDays(30), KeepOutputBytes: 1000)).RunAsync(CancellationToken.None);

        Assert.Equal(1, result.TasksRemoved);
        Assert.Null(await _store.GetAsync(oldest));
        Assert.NotNull(await _store.GetAsync(middle));
        Assert.NotNull(await _store.GetAsync(newest));
    }

    [Fact]
    public async Task A_sweep_pages_through_more_tasks_than_one_page_holds()
    {
        var tasks = new List<TaskRecord>();
        const int pageSize = 5;
        for (var i = 0; i < pageSize * 2 + 3; i++)
        {
            tasks.Add(FinishedRecord(TimeSpan.FromDays(40), stdoutTotal: 0));
        }

        await InsertFinishedAsync(tasks);

        var result = await new RetentionSweep(_store, _output, new RetentionRules(TimeSpan.FromDays(30), long.MaxValue), _clock, NullLogger<RetentionSweep>.Instance) { PageSize = pageSize }
            .RunAsync(CancellationToken.None);

        Assert.Equal(tasks.Count, result.TasksRemoved);
        Assert.Empty((await _store.ListAsync(new TaskQuery([], null, 10, null))).Tasks);
    }

    [Fact]
    public async Task An_output_folder_whose_task_is_gone_is_removed_and_one_whose_task_exists_is_kept()
    {
        // What a crash between removing the record and removing its files leaves behind.
        var orphan = new TaskIdGenerator().Next();
        _output.Append(orphan, V1.OutputStream.Stdout, 0, "left over"u8);
        _output.Release(orphan);
        var kept = await FinishedAsync(ago: TimeSpan.FromHours(1), stdout: "mine");
        Directory.CreateDirectory(Path.Combine(_directory.Path, OutputLogStore.FolderName, "not-a-task-id"));

        var result = await Sweep(new RetentionRules(TimeSpan.FromDays(30), long.MaxValue)).RunAsync(CancellationToken.None);

        Assert.Equal(new RetentionSweepResult(0, 1, "left over".Length), result);
        Assert.Equal(0, _output.GetLength(orphan, V1.OutputStream.Stdout));
        Assert.Equal("mine".Length, _output.GetLength(kept, V1.OutputStream.Stdout));
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, OutputLogStore.FolderName, "not-a-task-id")));
    }

    [Fact]
    public async Task The_service_sweeps_at_start_and_again_every_interval_of_its_clock()
    {
        var first = await FinishedAsync(ago: TimeSpan.FromDays(31), stdout: "x");
        using var service = new RetentionService(Sweep(new RetentionRules(TimeSpan.FromDays(30), long.MaxValue)), _clock, NullLogger<RetentionService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await WaitUntilAsync(async () => await _store.GetAsync(first) is null);

        // Finished 29.5 days ago: kept now, too old once the clock has moved on past the next sweep.
        var second = await FinishedAsync(ago: TimeSpan.FromDays(29.99), stdout: "y");
        Assert.NotNull(await _store.GetAsync(second));
        await _clock.WaitForArmedTimersAsync(RetentionService.Interval);
        _clock.Advance(RetentionService.Interval);
        await WaitUntilAsync(async () => await _store.GetAsync(second) is null);

        await service.StopAsync(CancellationToken.None);
    }

    private RetentionSweep Sweep(RetentionRules rules) => new(_store, _output, rules, _clock, NullLogger<RetentionSweep>.Instance);

    private async Task<TaskId> FinishedAsync(TimeSpan ago, string stdout)
    {
        var record = FinishedRecord(ago, stdout.Length);
        await InsertFinishedAsync([record]);
        _output.Append(record.Id, V1.OutputStream.Stdout, 0, System.Text.Encoding.UTF8.GetBytes(stdout));
        _output.Release(record.Id);
        return record.Id;
    }

    private static TaskRecord FinishedRecord(TimeSpan ago, long stdoutTotal) => TestTasks.Queued(createdAt: Now - ago - TimeSpan.FromMinutes(1)) with
    {
        State = TaskState.Succeeded,
        Node = "node1",
        ExitCode = 0,
        StartedAt = Now - ago - TimeSpan.FromSeconds(1),
        FinishedAt = Now - ago,
        StdoutTotal = stdoutTotal,
        StderrTotal = 0,
    };

    // Through the store's own path: inserted QUEUED, then moved to the final state as the Host would.
    private async Task InsertFinishedAsync(IReadOnlyList<TaskRecord> finished)
    {
        await _store.InsertAsync(finished.Select(task => task with { State = TaskState.Queued, Node = null, ExitCode = null, StartedAt = null, FinishedAt = null, StdoutTotal = null, StderrTotal = null }).ToList());
        foreach (var task in finished)
        {
            var assigned = task with { State = TaskState.Assigned, ExitCode = null, StartedAt = null, FinishedAt = null, StdoutTotal = null, StderrTotal = null };
            Assert.True(await _store.TryUpdateAsync(assigned, TaskState.Queued, "placed"));
            var running = assigned with { State = TaskState.Running, StartedAt = task.StartedAt };
            Assert.True(await _store.TryUpdateAsync(running, TaskState.Assigned, "started"));
            Assert.True(await _store.TryUpdateAsync(task, TaskState.Running, "exited 0"));
        }
    }

    private async Task<TaskId> RunningAsync(TimeSpan startedAgo)
    {
        var task = TestTasks.Queued(createdAt: Now - startedAgo);
        await _store.InsertAsync([task]);
        var assigned = task with { State = TaskState.Assigned, Node = "node1" };
        Assert.True(await _store.TryUpdateAsync(assigned, TaskState.Queued, "placed"));
        Assert.True(await _store.TryUpdateAsync(assigned with { State = TaskState.Running, StartedAt = Now - startedAgo }, TaskState.Assigned, "started"));
        return task.Id;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 30 s");
            await Task.Delay(20);
        }
    }
}
