namespace RiverRun.Systemd.Tests;

public sealed class AdoptedScopeWatcherTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SpoolWatcher _spoolWatcher = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _spoolWatcher.Dispose();
        _temp.Dispose();
    }

    private TaskSpool Spool => new(_temp.Path);

    // As TaskRun does: one completion per change, replaced when it fires.
    private Task NextChange()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    private void Changed()
    {
        lock (_gate)
        {
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    [Fact]
    public async Task A_record_written_while_watching_is_noticed_from_the_spool_without_waiting_for_a_liveness_check()
    {
        // An hour between liveness checks: only the spool event can end the wait in time.
        var watcher = new AdoptedScopeWatcher(TimeProvider.System, TimeSpan.FromHours(1));
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        using var watch = _spoolWatcher.Watch(_temp.Path, Changed);
        var livenessChecks = 0;
        var watching = watcher.WaitForOutcomeAsync(Spool, NextChange, _ =>
        {
            Interlocked.Increment(ref livenessChecks);
            return Task.FromResult(true);
        });
        await Task.Delay(200);
        Assert.False(watching.IsCompleted);

        var written = System.Diagnostics.Stopwatch.StartNew();
        File.WriteAllText(_temp.Combine(SpoolFiles.Exit), "status=0\noom_kill=0\nend=1\n");
        var outcome = await watching.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
        Assert.True(written.Elapsed < TimeSpan.FromSeconds(2), $"the end was noticed after {written.Elapsed}");
        Assert.Equal(1, livenessChecks);
    }

    [Fact]
    public async Task A_scope_that_ended_while_the_runner_was_away_is_found_finished_at_once()
    {
        var watcher = new AdoptedScopeWatcher(TimeProvider.System, TimeSpan.FromHours(1));
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        File.WriteAllText(_temp.Combine(SpoolFiles.Exit), "status=137\noom_kill=1\n");

        var outcome = await watcher.WaitForOutcomeAsync(Spool, NextChange, _ => Task.FromResult(false));

        Assert.True(Assert.IsType<TaskExited>(outcome).Record.WasOomKilled);
    }

    [Fact]
    public async Task A_scope_whose_processes_vanish_without_a_record_is_found_by_the_liveness_check()
    {
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");

        var outcome = await OutcomeOnceTheScopeEndsAsync();

        Assert.Null(Assert.IsType<EndedWithoutRecord>(outcome).WrapperExitCode);
    }

    [Fact]
    public async Task A_record_still_being_written_does_not_end_the_wait_its_end_line_does()
    {
        var watcher = new AdoptedScopeWatcher(TimeProvider.System, TimeSpan.FromHours(1));
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        using var watch = _spoolWatcher.Watch(_temp.Path, Changed);
        var watching = watcher.WaitForOutcomeAsync(Spool, NextChange, _ => Task.FromResult(true));

        File.WriteAllText(_temp.Combine(SpoolFiles.Exit), "status=4\n");
        await Task.Delay(200);
        Assert.False(watching.IsCompleted);
        File.AppendAllText(_temp.Combine(SpoolFiles.Exit), "oom_kill=0\nend=1\n");
        var outcome = await watching.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
    }

    [Fact]
    public async Task A_record_without_an_end_line_from_an_earlier_runners_wrapper_is_read_once_the_scope_has_ended()
    {
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        File.WriteAllText(_temp.Combine(SpoolFiles.Exit), "status=2\noom_kill=0\n");

        var outcome = await OutcomeOnceTheScopeEndsAsync();

        Assert.Equal(2, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
    }

    // Watches with a quick liveness check while the scope lives, makes sure the wait has not
    // ended meanwhile, then lets the scope end and returns what the watcher decided.
    private async Task<ScopeOutcome> OutcomeOnceTheScopeEndsAsync()
    {
        var watcher = new AdoptedScopeWatcher(TimeProvider.System, TimeSpan.FromMilliseconds(20));
        var alive = 1;
        var watching = watcher.WaitForOutcomeAsync(Spool, NextChange, _ => Task.FromResult(Volatile.Read(ref alive) == 1));
        await Task.Delay(100);
        Assert.False(watching.IsCompleted);
        Volatile.Write(ref alive, 0);
        return await watching.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_stops_the_waiting()
    {
        var watcher = new AdoptedScopeWatcher(TimeProvider.System, TimeSpan.FromHours(1));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            watcher.WaitForOutcomeAsync(Spool, NextChange, _ => Task.FromResult(true), cts.Token));
    }
}
