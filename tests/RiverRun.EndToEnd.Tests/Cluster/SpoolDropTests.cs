using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// The Runner's spool of a task goes once the Host has persisted the task's end and stored its
/// whole output (DropSpool), and not before: a Host killed in between loses nothing.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class SpoolDropTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string TaskDirectory(string node, string taskId) => $"/var/lib/riverrun-runner/{node}/tasks/{taskId}";

    [Fact]
    public async Task Once_a_task_has_ended_and_its_output_is_stored_its_spool_directory_is_gone_from_the_node()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", "node1", "--", "sh", "-c", "echo out; echo err >&2");

        var status = await cluster.WaitForStateAsync(ids[0], Patience, "SUCCEEDED", "FAILED");
        await Poll.UntilAsync(async () => !await ExistsAsync(cluster, "node1", TaskDirectory("node1", ids[0])), Patience);

        Assert.Equal("SUCCEEDED", status["State"]);
        var logs = await cluster.RiverRunAsync("logs", ids[0]);
        Assert.Equal("out\n", logs.StandardOutput);
        Assert.Equal("err\n", logs.StandardError);
        Assert.False(await ExistsAsync(cluster, "node1", TaskDirectory("node1", ids[0])));
    }

    [Fact]
    public async Task A_Host_killed_after_the_task_ended_on_the_node_but_before_it_heard_of_it_loses_nothing_and_the_spool_goes_after_its_restart()
    {
        var cluster = fixture.Ready();
        const int Lines = 20000;
        var expected = string.Concat(Enumerable.Range(1, Lines).Select(i => $"{i}\n"));
        var ids = await cluster.SubmitAsync("--target", "node1", "--", "sh", "-c", $"sleep 3; seq 1 {Lines}; echo done >&2; exit 3");
        await cluster.WaitForStateAsync(ids[0], Patience, "RUNNING");
        var directory = TaskDirectory("node1", ids[0]);

        // Frozen, the Host hears nothing of the end; the Runner records it in the spool meanwhile.
        var hostPid = (await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "show", "-p", "MainPID", "--value", "riverrun-host")).StandardOutput.Trim();
        await cluster.Sandbox.ExecCheckedAsync("head", "kill", "-STOP", hostPid);
        try
        {
            await Poll.UntilAsync(() => ExistsAsync(cluster, "node1", $"{directory}/result.pb"), Patience);
        }
        finally
        {
            // SIGKILL ends a stopped process too: no shutdown, no flush; systemd starts it again.
            await cluster.Sandbox.ExecAsync("head", ["kill", "-KILL", hostPid]);
        }

        Assert.True(await ExistsAsync(cluster, "node1", directory), "the spool must stay while the Host has not stored the end");
        await Poll.UntilAsync(async () => (await cluster.RiverRunAsync("status", ids[0])).ExitCode == 0, Patience);
        var status = await cluster.WaitForStateAsync(ids[0], Patience, "FAILED", "SUCCEEDED", "LOST");
        await Poll.UntilAsync(async () => !await ExistsAsync(cluster, "node1", directory), Patience);

        Assert.Equal("FAILED", status["State"]);
        Assert.Contains("3", status["Exit"]);
        var stdout = await cluster.RiverRunAsync("logs", "--stdout", ids[0]);
        var stderr = await cluster.RiverRunAsync("logs", "--stderr", ids[0]);
        Assert.Equal(expected, stdout.StandardOutput);
        Assert.Equal("done\n", stderr.StandardError);
    }

    private static async Task<bool> ExistsAsync(ClusterFixture cluster, string node, string path) =>
        (await cluster.Sandbox.ExecAsync(node, ["test", "-e", path])).ExitCode == 0;
}
