namespace RiverRun.Systemd.Tests;

/// <summary>The inotify watcher against real directories.</summary>
public sealed class SpoolWatcherTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SpoolWatcher _watcher = new();

    public void Dispose()
    {
        _watcher.Dispose();
        _temp.Dispose();
    }

    private static async Task WaitForAsync(SemaphoreSlim signals, string what)
    {
        Assert.True(await signals.WaitAsync(TimeSpan.FromSeconds(5)), $"no change was reported for {what}");
    }

    [Fact]
    public async Task A_write_after_a_quiet_period_a_new_file_and_a_rename_into_place_are_each_reported()
    {
        using var signals = new SemaphoreSlim(0);
        File.WriteAllText(_temp.Combine("stdout"), "first\n");
        using var watch = _watcher.Watch(_temp.Path, () => signals.Release());

        await Task.Delay(300);
        Assert.Equal(0, signals.CurrentCount);

        File.AppendAllText(_temp.Combine("stdout"), "after a quiet period\n");
        await WaitForAsync(signals, "an append");
        await Task.Delay(100);
        while (signals.CurrentCount > 0)
        {
            await signals.WaitAsync();
        }

        File.WriteAllText(_temp.Combine("started"), "1\n");
        await WaitForAsync(signals, "a new file");
        await Task.Delay(100);
        while (signals.CurrentCount > 0)
        {
            await signals.WaitAsync();
        }

        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"riverrun-exit-{Environment.ProcessId}"), "status=0\n");
        File.Move(Path.Combine(Path.GetTempPath(), $"riverrun-exit-{Environment.ProcessId}"), _temp.Combine("exit"));
        await WaitForAsync(signals, "a file moved in");
    }

    [Fact]
    public async Task After_disposal_of_a_watch_its_directory_is_no_longer_reported_and_the_watch_is_released()
    {
        var signals = 0;
        var watch = _watcher.Watch(_temp.Path, () => Interlocked.Increment(ref signals));
        Assert.Equal(1, _watcher.Count);

        watch.Dispose();
        File.WriteAllText(_temp.Combine("stdout"), "unwatched\n");
        await Task.Delay(300);

        Assert.Equal(0, Volatile.Read(ref signals));
        Assert.Equal(0, _watcher.Count);
    }

    [Fact]
    public async Task Many_directories_share_one_watcher_and_each_hears_only_its_own_changes()
    {
        var counts = new int[200];
        var watches = new List<IDisposable>();
        for (var i = 0; i < counts.Length; i++)
        {
            var index = i;
            var directory = Directory.CreateDirectory(_temp.Combine($"task{i}")).FullName;
            watches.Add(_watcher.Watch(directory, () => Interlocked.Increment(ref counts[index])));
        }

        File.WriteAllText(_temp.Combine("task7", "stdout"), "x");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref counts[7]) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(Volatile.Read(ref counts[7]) > 0);
        Assert.Equal(0, counts.Where((_, i) => i != 7).Sum());
        Assert.Equal(200, _watcher.Count);
        watches.ForEach(w => w.Dispose());
    }

    [Fact]
    public async Task A_task_writing_flat_out_wakes_the_reader_at_most_once_per_rest_and_its_last_write_is_still_reported()
    {
        var signals = 0;
        var path = _temp.Combine("stdout");
        File.WriteAllText(path, string.Empty);
        using var watch = _watcher.Watch(_temp.Path, () => Interlocked.Increment(ref signals));

        int bound;
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            // Writes a tenth of a rest apart: a reader that looked again after each change would
            // be woken for nearly every one of them.
            var line = new byte[64];
            var written = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 400; i++)
            {
                stream.Write(line);
                var due = written.Elapsed + (SpoolWatcher.CoalesceFor / 10);
                while (written.Elapsed < due)
                {
                    Thread.SpinWait(20);
                }
            }

            // At most one wake-up per rest while the writes lasted, and the first.
            bound = (int)(written.Elapsed / SpoolWatcher.CoalesceFor) + 3;
        }

        await Task.Delay(50);
        Assert.InRange(Volatile.Read(ref signals), 1, bound);

        var before = Volatile.Read(ref signals);
        File.AppendAllText(path, "last\n");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref signals) == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(Volatile.Read(ref signals) > before, "the last write was not reported");
    }

    [Fact]
    public void A_missing_directory_cannot_be_watched_and_the_error_names_it()
    {
        var missing = _temp.Combine("no-such-spool");

        var error = Assert.Throws<IOException>(() => _watcher.Watch(missing, () => { }));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
