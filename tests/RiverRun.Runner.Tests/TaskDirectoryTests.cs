using RiverRun.Contracts.V1;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tests;

public sealed class TaskDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private TaskPaths Paths => new(_root.Combine("tasks"), _root.Combine("spool"));

    private static StartTask Start(string id) => new() { TaskId = id, Spec = new Contracts.V1.TaskSpec { Argv = { "true" } } };

    private static void WriteMarker(TaskDirectory directory, DateTime mtime)
    {
        Directory.CreateDirectory(directory.Spool.Directory);
        var marker = Path.Combine(directory.Spool.Directory, SpoolFiles.Started);
        File.WriteAllText(marker, "1\n");
        File.SetLastWriteTimeUtc(marker, mtime);
    }

    [Fact]
    public async Task Deleting_a_task_removes_its_directory_and_its_spool_and_links_the_task_left_never_their_targets()
    {
        var outside = Path.Combine(_root.Path, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "precious"), "keep me");
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        var spool = directory.Spool.Directory;
        Directory.CreateDirectory(Path.Combine(spool, "sub"));
        File.WriteAllText(Path.Combine(spool, "stdout"), "out");
        File.CreateSymbolicLink(Path.Combine(spool, "link-to-dir"), outside);
        File.CreateSymbolicLink(Path.Combine(spool, "sub", "link-to-file"), Path.Combine(outside, "precious"));

        await directory.DeleteAsync();

        Assert.False(Directory.Exists(directory.Path));
        Assert.False(Directory.Exists(spool));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outside, "precious")));
    }

    [Fact]
    public void A_spec_left_empty_by_a_crash_reads_as_unreadable_not_as_a_task_with_no_id()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        Assert.Equal("1ng4abcdefgh", directory.ReadSpec().TaskId);
        File.WriteAllBytes(Path.Combine(directory.Path, TaskDirectory.SpecFile), []);

        var error = Assert.Throws<InvalidDataException>(directory.ReadSpec);
        Assert.Contains("is empty or is not the record of task 1ng4abcdefgh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_of_another_task_is_refused()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        File.WriteAllBytes(Path.Combine(directory.Path, TaskDirectory.SpecFile), Google.Protobuf.MessageExtensions.ToByteArray(Start("1ng4zzzzzzzz")));

        Assert.Throws<InvalidDataException>(directory.ReadSpec);
    }

    [Fact]
    public void A_result_left_empty_by_a_crash_is_no_result_so_the_end_is_decided_again_from_the_spool()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        directory.WriteResult(new Contracts.V1.TaskExited { TaskId = "1ng4abcdefgh", State = TaskState.Succeeded });
        Assert.Equal(TaskState.Succeeded, directory.ReadResult()?.State);

        File.WriteAllBytes(Path.Combine(directory.Path, TaskDirectory.ResultFile), []);

        Assert.Null(directory.ReadResult());
    }

    [Fact]
    public void The_runners_own_records_are_0700_and_0600_and_the_spool_is_outside_them()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        directory.WriteStopReason(StopReason.Killed);
        directory.WriteStartedAt(DateTimeOffset.UtcNow);

        Assert.Equal(RunnerFileModes.PrivateDirectory, File.GetUnixFileMode(directory.Path));
        foreach (var file in new[] { TaskDirectory.SpecFile, TaskDirectory.StopFile, TaskDirectory.StartedAtFile })
        {
            Assert.Equal(RunnerFileModes.PrivateFile, File.GetUnixFileMode(Path.Combine(directory.Path, file)));
        }

        Assert.Equal(Path.Combine(_root.Path, "spool", "1ng4abcdefgh"), directory.Spool.Directory);
        Assert.False(directory.Spool.Directory.StartsWith(directory.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void The_start_time_is_the_runners_record_whatever_mtime_the_tasks_user_gave_its_marker()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        var recorded = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5_000);
        WriteMarker(directory, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        directory.WriteStartedAt(recorded);
        directory.WriteStartedAt(recorded.AddHours(1));

        Assert.Equal(recorded, directory.ReadStartedAt());
    }

    [Fact]
    public void Without_a_record_a_started_task_counts_from_when_the_runner_recorded_it_never_from_the_marker()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        var recordedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(directory.Path, TaskDirectory.SpecFile), recordedAt);
        var notStarted = directory.ReadStartedAt();
        WriteMarker(directory, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Null(notStarted);
        Assert.Equal(new DateTimeOffset(recordedAt), directory.ReadStartedAt());
    }

    [Fact]
    public void A_malformed_start_record_falls_back_on_the_time_the_task_was_recorded()
    {
        var directory = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        WriteMarker(directory, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(directory.Path, TaskDirectory.StartedAtFile), "99999999999999999999999");

        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(directory.Path, TaskDirectory.SpecFile))), directory.ReadStartedAt());
    }

    [Fact]
    public void A_task_an_older_runner_launched_keeps_the_spool_inside_its_directory_that_its_wrapper_writes_to()
    {
        var created = TaskDirectory.Create(Paths, Start("1ng4abcdefgh"));
        Directory.CreateDirectory(Path.Combine(created.Path, TaskDirectory.LegacySpoolName));

        var legacy = TaskDirectory.Open(Paths, "1ng4abcdefgh");
        var current = TaskDirectory.Open(Paths, "2ng4abcdefgh");

        Assert.Equal(Path.Combine(created.Path, "spool"), legacy.Spool.Directory);
        Assert.Equal(Path.Combine(_root.Path, "spool", "2ng4abcdefgh"), current.Spool.Directory);
    }
}
