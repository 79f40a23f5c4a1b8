using Grpc.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>
/// The Host's files are private (issue 8: riverrun.db, its WAL and every output file were 0644 in
/// 0755 directories): after real writes through the real server, directories are 0700 and files 0600.
/// </summary>
public sealed class HostFileModesTests
{
    private const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_directory_database_wal_and_output_files_are_private_after_a_task_wrote_output()
    {
        using var parent = new TempDirectory();
        var data = parent.Combine("data");
        // As an older Host (or the umask) left it: open to everyone.
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, Directory0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string id;
        await using (var host = await TestHost.StartAsync(data, http: false))
        {
            await using var runner = await FakeRunner.ConnectAsync(host, "node1");
            var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "echo", "secret"), Targets = { new V1.TargetSelector { Node = "node1" } } };
            id = (await host.Tasks.SubmitAsync(request)).Tasks.Single().Id;
            await runner.WaitForStartAsync();
            await runner.StartedAsync(id);
            await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "secret\n"u8.ToArray());
            await runner.OutputAsync(id, V1.OutputStream.Stderr, 0, "warning\n"u8.ToArray());
            await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, stdout: 7, stderr: 8);
            await runner.WaitForAckAsync(id, 7, 8);

            // While the Host runs: the WAL and shared-memory files exist now.
            Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "riverrun.db-wal")));
            Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "riverrun.db-shm")));
        }

        Assert.Equal(Directory0700, File.GetUnixFileMode(data));
        Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "riverrun.db")));
        Assert.Equal(Directory0700, File.GetUnixFileMode(Path.Combine(data, "output")));
        Assert.Equal(Directory0700, File.GetUnixFileMode(Path.Combine(data, "output", id)));
        Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "output", id, "stdout")));
        Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "output", id, "stderr")));
        Assert.Equal("secret\n", File.ReadAllText(Path.Combine(data, "output", id, "stdout")));
    }

    [Fact]
    public async Task A_shared_directory_like_tmp_is_refused_as_the_data_directory_and_left_open()
    {
        using var parent = new TempDirectory();
        var shared = parent.Combine("shared");
        Directory.CreateDirectory(shared);
        var open = (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit;
        File.SetUnixFileMode(shared, open);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await TestHost.StartAsync(shared, http: false)).DisposeAsync());

        Assert.Contains("shared directory (sticky bit, like /tmp)", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(open, File.GetUnixFileMode(shared));
    }
}
