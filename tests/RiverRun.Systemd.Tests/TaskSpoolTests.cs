using CliWrap.Buffered;

namespace RiverRun.Systemd.Tests;

public sealed class TaskSpoolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private TaskSpool Spool => new(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private void Write(string name, string text) => File.WriteAllText(_temp.Combine(name), text);

    [Fact]
    public void Without_an_exit_file_there_is_no_record_yet()
    {
        Assert.Null(Spool.TryReadExitRecord());
    }

    [Fact]
    public void An_exit_file_is_read_as_the_record()
    {
        Write(SpoolFiles.Exit, "status=0\noom_kill=0\nend=1\n");

        Assert.Equal(new WrapperExitRecord(0, 0, null, null), Spool.TryReadExitRecord());
    }

    [Fact]
    public void An_exit_file_that_is_a_symlink_is_refused_rather_than_followed()
    {
        Write("elsewhere", "status=0\n");
        File.CreateSymbolicLink(_temp.Combine(SpoolFiles.Exit), _temp.Combine("elsewhere"));

        Assert.Throws<InvalidDataException>(() => Spool.TryReadExitRecord());
    }

    [Fact]
    public async Task An_exit_file_that_is_a_fifo_is_refused_rather_than_blocking_the_reader()
    {
        var mkfifo = await Commands.Wrap("mkfifo").WithArguments([_temp.Combine(SpoolFiles.Exit)]).ExecuteBufferedAsync();
        Assert.Equal(0, mkfifo.ExitCode);

        var read = Task.Run(() => Spool.TryReadExitRecord());

        await Assert.ThrowsAsync<InvalidDataException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_garbled_exit_file_ends_the_scope_without_a_record_and_says_why()
    {
        Write(SpoolFiles.Started, "1\n");
        Write(SpoolFiles.Exit, "garbage");

        var outcome = Spool.ClassifyEnded(0, null);

        Assert.Contains("not a valid exit record", Assert.IsType<EndedWithoutRecord>(outcome).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_marker_and_no_record_means_systemd_run_failed_and_its_stderr_is_the_message()
    {
        var outcome = Spool.ClassifyEnded(1, "  Failed to start transient scope unit: Access denied\n");

        Assert.Equal(new LaunchFailed("Failed to start transient scope unit: Access denied"), outcome);
    }

    [Fact]
    public void No_marker_and_silent_systemd_run_still_gives_a_message_with_the_exit_status()
    {
        var outcome = Spool.ClassifyEnded(1, "");

        Assert.Contains("exited with 1", Assert.IsType<LaunchFailed>(outcome).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marker_without_a_record_means_the_wrapper_was_killed()
    {
        Write(SpoolFiles.Started, "1\n");

        var outcome = Spool.ClassifyEnded(137, "");

        Assert.Equal(137, Assert.IsType<EndedWithoutRecord>(outcome).WrapperExitCode);
    }
}
