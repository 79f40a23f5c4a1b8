using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

public sealed class TaskDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Deleting_a_task_removes_links_the_task_left_in_its_spool_never_their_targets()
    {
        var outside = Path.Combine(_root.Path, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "precious"), "keep me");
        var taskPath = Path.Combine(_root.Path, "tasks", "1ng4abcdefgh");
        var spool = Path.Combine(taskPath, "spool");
        Directory.CreateDirectory(Path.Combine(spool, "sub"));
        File.WriteAllText(Path.Combine(spool, "stdout"), "out");
        File.CreateSymbolicLink(Path.Combine(spool, "link-to-dir"), outside);
        File.CreateSymbolicLink(Path.Combine(spool, "sub", "link-to-file"), Path.Combine(outside, "precious"));

        await new TaskDirectory(taskPath).DeleteAsync();

        Assert.False(Directory.Exists(taskPath));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outside, "precious")));
    }
}
