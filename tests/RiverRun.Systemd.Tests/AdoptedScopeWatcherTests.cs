namespace RiverRun.Systemd.Tests;

public sealed class AdoptedScopeWatcherTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly AdoptedScopeWatcher _watcher = new(TimeProvider.System, TimeSpan.FromMilliseconds(20));

    public void Dispose() => _temp.Dispose();

    private TaskSpool Spool => new(_temp.Path);

    [Fact]
    public async Task A_record_written_while_watching_is_the_outcome()
    {
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        var watching = _watcher.WaitForOutcomeAsync(Spool, _ => Task.FromResult(true));
        await Task.Delay(100);
        Assert.False(watching.IsCompleted);

        File.WriteAllText(_temp.Combine(SpoolFiles.ExitTemporary), "status=0\noom_kill=0\n");
        File.Move(_temp.Combine(SpoolFiles.ExitTemporary), _temp.Combine(SpoolFiles.Exit));
        var outcome = await watching.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
    }

    [Fact]
    public async Task A_scope_that_ended_while_the_runner_was_away_is_found_finished_at_once()
    {
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");
        File.WriteAllText(_temp.Combine(SpoolFiles.Exit), "status=137\noom_kill=1\n");

        var outcome = await _watcher.WaitForOutcomeAsync(Spool, _ => Task.FromResult(false));

        Assert.True(Assert.IsType<TaskExited>(outcome).Record.WasOomKilled);
    }

    [Fact]
    public async Task A_scope_gone_without_a_record_ends_without_one_and_without_an_exit_code()
    {
        File.WriteAllText(_temp.Combine(SpoolFiles.Started), "1\n");

        var outcome = await _watcher.WaitForOutcomeAsync(Spool, _ => Task.FromResult(false));

        Assert.Null(Assert.IsType<EndedWithoutRecord>(outcome).WrapperExitCode);
    }

    [Fact]
    public async Task Cancelling_stops_the_waiting()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _watcher.WaitForOutcomeAsync(Spool, _ => Task.FromResult(true), cts.Token));
    }
}
