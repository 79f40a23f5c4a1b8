using Microsoft.Extensions.Time.Testing;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

/// <summary>The batched deletion of let-go tasks, with real directories and the real rm.</summary>
public sealed class TaskDirectoryRemoverTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _root.Dispose();

    private TaskPaths Paths => new(_root.Combine("tasks"), _root.Combine("spool"));

    private TaskDirectory NewTask(string id)
    {
        var directory = TaskDirectory.Create(Paths, new StartTask { TaskId = id, Spec = new Contracts.V1.TaskSpec { Argv = { "true" } } });
        Directory.CreateDirectory(directory.Spool.Directory);
        File.WriteAllText(Path.Combine(directory.Spool.Directory, "stdout"), "out");
        return directory;
    }

    // Moves the clock on until every deletion has completed: the remover's wait may begin a
    // moment after a deletion is queued, so one step of the clock might come too early.
    private async Task CompletedAsync(params Task[] deletions)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!deletions.All(d => d.IsCompleted))
        {
            _time.Advance(TaskDirectoryRemover.GatherFor);
            await Task.Delay(10, patience.Token);
        }

        await Task.WhenAll(deletions);
    }

    [Fact]
    public async Task Tasks_let_go_while_the_first_waits_are_deleted_by_one_rm_and_each_caller_learns_when()
    {
        var calls = new List<IReadOnlyList<string>>();
        await using var remover = new TaskDirectoryRemover(_time, async paths =>
        {
            lock (calls)
            {
                calls.Add(paths);
            }

            await TaskDirectory.RemoveAsync(paths);
        });
        var tasks = new[] { NewTask("1ng4aaaaaaaa"), NewTask("1ng4bbbbbbbb"), NewTask("1ng4cccccccc") };

        var deletions = tasks.Select(remover.RemoveAsync).ToArray();
        Assert.All(deletions, d => Assert.False(d.IsCompleted));
        await CompletedAsync(deletions);

        var call = Assert.Single(calls);
        Assert.Equal(6, call.Count);
        Assert.All(tasks, t => Assert.False(Directory.Exists(t.Path) || Directory.Exists(t.Spool.Directory)));
    }

    [Fact]
    public async Task A_task_without_directories_completes_at_once_and_a_failed_rm_reaches_every_caller_of_its_batch()
    {
        await using var remover = new TaskDirectoryRemover(_time, _ => throw new IOException("rm -rf failed: Permission denied"));
        var gone = new TaskDirectory(_root.Combine("tasks", "1ng4dddddddd"), _root.Combine("spool", "1ng4dddddddd"));
        Assert.True(remover.RemoveAsync(gone).IsCompletedSuccessfully);

        var first = remover.RemoveAsync(NewTask("1ng4eeeeeeee"));
        var second = remover.RemoveAsync(NewTask("1ng4ffffffff"));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!(first.IsCompleted && second.IsCompleted))
        {
            _time.Advance(TaskDirectoryRemover.GatherFor);
            await Task.Delay(10, patience.Token);
        }

        Assert.Equal("rm -rf failed: Permission denied", (await Assert.ThrowsAsync<IOException>(() => first)).Message);
        await Assert.ThrowsAsync<IOException>(() => second);
    }

    [Fact]
    public async Task Deletions_still_waiting_when_the_runner_stops_are_cancelled_and_their_directories_stay_for_the_next_start()
    {
        var remover = new TaskDirectoryRemover(_time);
        var task = NewTask("1ng4gggggggg");

        var deletion = remover.RemoveAsync(task);
        await remover.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deletion);
        Assert.True(Directory.Exists(task.Path));
        Assert.True(remover.RemoveAsync(task).IsCanceled);
    }
}
