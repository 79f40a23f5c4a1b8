using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>Kill, queueing, restarts and bad input, against the sandbox's cluster.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ControlTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Kill_ends_the_task_KILLED_and_leaves_no_process_of_it_and_no_scope()
    {
        var cluster = fixture.Ready();
        // A background grandchild, a double-forked daemon (setsid in a subshell) and a foreground
        // sleep. Each sleeps a number of seconds with a random fraction, which marks it in argv.
        var marker = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ids = await cluster.SubmitAsync("--target", "node1", "--", "sh", "-c",
            $"sleep 1001.{marker} & (setsid sleep 1002.{marker} &) ; exec sleep 1003.{marker}");
        var taskId = Assert.Single(ids);
        await cluster.WaitForStateAsync(taskId, TimeSpan.FromSeconds(30), "RUNNING");
        await Poll.UntilAsync(async () => (await CountProcessesAsync(cluster, marker)) >= 3, TimeSpan.FromSeconds(10));

        var kill = await cluster.RiverRunAsync("kill", "--grace", "5s", taskId);

        Assert.True(kill.ExitCode == 0, kill.ToString());
        var status = await cluster.WaitForStateAsync(taskId, TimeSpan.FromSeconds(30), "KILLED", "FAILED", "SUCCEEDED");
        Assert.Equal("KILLED", status["State"]);
        Assert.Equal(0, await CountProcessesAsync(cluster, marker));
        // The emptied unit is stopped in the background, batched with others (EmptiedScopeStopper).
        await Poll.UntilAsync(
            async () => (await cluster.Sandbox.ExecAsync("node1", ["systemctl", "is-active", $"riverrun-{taskId}.scope"])).StandardOutput.Trim() != "active",
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Kill_of_a_task_that_ignores_SIGTERM_succeeds_after_the_grace_period_with_SIGKILL()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", "node2", "--", "sh", "-c", "trap '' TERM; echo ready; exec sleep 1000");
        await cluster.WaitForStateAsync(ids[0], TimeSpan.FromSeconds(30), "RUNNING");

        // A grace longer than the Host's 10 s wait for a Runner's acknowledgement: the kill must
        // still be reported as done, not as an unreachable Runner.
        var kill = await cluster.RiverRunAsync("kill", "--grace", "11s", ids[0]);

        Assert.True(kill.ExitCode == 0, kill.ToString());
        var status = await cluster.WaitForStateAsync(ids[0], TimeSpan.FromSeconds(30), "KILLED", "FAILED");
        Assert.Equal("KILLED", status["State"]);
    }

    [Fact]
    public async Task On_a_two_core_node_a_third_one_core_task_waits_queued_until_one_finishes()
    {
        var cluster = fixture.Ready();

        // Long enough that a status poll on a busy machine still sees them RUNNING.
        var first = await cluster.SubmitAsync("--target", "node1", "--cores", "1", "--", "sleep", "10");
        var second = await cluster.SubmitAsync("--target", "node1", "--cores", "1", "--", "sleep", "10");
        var third = await cluster.SubmitAsync("--target", "node1", "--cores", "1", "--", "sleep", "10");

        await cluster.WaitForStateAsync(first[0], TimeSpan.FromSeconds(30), "RUNNING");
        await cluster.WaitForStateAsync(second[0], TimeSpan.FromSeconds(30), "RUNNING");
        Assert.Equal("QUEUED", (await cluster.StatusAsync(third[0]))["State"]);
        await cluster.WaitForStateAsync(third[0], TimeSpan.FromSeconds(30), "RUNNING", "SUCCEEDED");
        var firstTwo = new[] { await cluster.StatusAsync(first[0]), await cluster.StatusAsync(second[0]) };
        Assert.Contains(firstTwo, s => s["State"] == "SUCCEEDED");
        Assert.Equal("SUCCEEDED", (await cluster.WaitForStateAsync(third[0], TimeSpan.FromSeconds(30), "SUCCEEDED", "FAILED"))["State"]);
    }

    [Fact]
    public async Task After_a_Host_kill_9_the_queue_is_rebuilt_from_the_store_tasks_still_wait_for_the_room_running_ones_hold_and_then_run()
    {
        var cluster = fixture.Ready();
        // node2 has 2 cores: two long tasks fill it, two more wait behind them.
        var running = new[]
        {
            (await cluster.SubmitAsync("--target", "node2", "--cores", "1", "--", "sleep", "20"))[0],
            (await cluster.SubmitAsync("--target", "node2", "--cores", "1", "--", "sleep", "20"))[0],
        };
        var queued = new[]
        {
            (await cluster.SubmitAsync("--target", "node2", "--cores", "1", "--", "true"))[0],
            (await cluster.SubmitAsync("--target", "node2", "--cores", "1", "--", "true"))[0],
        };
        foreach (var id in running)
        {
            await cluster.WaitForStateAsync(id, TimeSpan.FromSeconds(30), "RUNNING");
        }

        // No clean shutdown: the Host's memory of the queue is gone, only SQLite has it.
        await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "kill", "--kill-who=main", "--signal=SIGKILL", "riverrun-host");
        await Poll.UntilAsync(async () => (await cluster.RiverRunAsync("status", queued[0])).ExitCode == 0, TimeSpan.FromSeconds(60));

        // The restarted Host knows what the running tasks hold: the queued ones still wait.
        foreach (var id in running)
        {
            Assert.Equal("RUNNING", (await cluster.StatusAsync(id))["State"]);
        }

        foreach (var id in queued)
        {
            Assert.Equal("QUEUED", (await cluster.StatusAsync(id))["State"]);
        }

        foreach (var id in queued.Concat(running))
        {
            Assert.Equal("SUCCEEDED", (await cluster.WaitForStateAsync(id, TimeSpan.FromSeconds(60), "SUCCEEDED", "FAILED", "LOST", "KILLED", "CANCELLED"))["State"]);
        }
    }

    [Fact]
    public async Task After_a_Host_restart_earlier_tasks_and_their_output_remain_and_Runners_reconnect()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", "node2", "--", "echo", "before the restart");
        var before = await cluster.RiverRunAsync("logs", "-f", ids[0]);
        Assert.Equal("before the restart\n", before.StandardOutput);

        await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "restart", "riverrun-host");

        await Poll.UntilAsync(async () =>
        {
            var nodes = await cluster.RiverRunAsync("nodes");
            return nodes.ExitCode == 0
                && System.Text.RegularExpressions.Regex.IsMatch(nodes.StandardOutput, @"^node1\s+yes", System.Text.RegularExpressions.RegexOptions.Multiline)
                && System.Text.RegularExpressions.Regex.IsMatch(nodes.StandardOutput, @"^node2\s+yes", System.Text.RegularExpressions.RegexOptions.Multiline);
        }, TimeSpan.FromSeconds(60));
        var list = await cluster.RiverRunAsync("list");
        Assert.Contains(ids[0], list.StandardOutput);
        var after = await cluster.RiverRunAsync("logs", ids[0]);
        Assert.Equal("before the restart\n", after.StandardOutput);
        var run = await cluster.RiverRunAsync("run", "--target", "node2", "--", "echo", "after the restart");
        Assert.Equal("after the restart\n", run.StandardOutput);
    }

    [Fact]
    public async Task A_task_keeps_running_through_a_Runner_restart_and_none_of_its_output_is_lost()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", "node2", "--", "sh", "-c",
            "for i in $(seq 1 40); do echo line $i; sleep 0.1; done");
        await cluster.WaitForStateAsync(ids[0], TimeSpan.FromSeconds(30), "RUNNING");

        // The scope is not part of the Runner's service, so it survives; the restarted Runner
        // re-adopts it and resends output from the offsets the Host acknowledged.
        await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "restart", "riverrun-runner");

        var logs = await cluster.RiverRunAsync("logs", "-f", ids[0]);
        Assert.Equal(string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n")), logs.StandardOutput);
        Assert.Equal("SUCCEEDED", (await cluster.WaitForStateAsync(ids[0], TimeSpan.FromSeconds(30), "SUCCEEDED", "FAILED", "LOST", "KILLED"))["State"]);
    }

    [Fact]
    public async Task A_Host_kill_9_and_a_Runner_kill_9_during_a_streaming_task_lose_no_byte_and_the_task_keeps_its_exit_code()
    {
        var cluster = fixture.Ready();
        const int Lines = 120;
        var expectedStdout = string.Concat(Enumerable.Range(1, Lines).Select(i => $"line {i}\n"));
        var expectedStderr = string.Concat(Enumerable.Range(1, Lines).Select(i => $"err {i}\n"));
        var before = await TaskIdsAsync(cluster);
        // Attached from the start: the client must ride out both crashes too.
        var run = cluster.RiverRunAsync("run", "--target", "node1", "--", "sh", "-c",
            $"for i in $(seq 1 {Lines}); do echo line $i; echo err $i >&2; sleep 0.05; done; exit 7");
        var taskId = await WaitForNewTaskAsync(cluster, before);
        await cluster.WaitForStateAsync(taskId, TimeSpan.FromSeconds(30), "RUNNING");

        // SIGKILL to the main process only: no clean shutdown, no flush; systemd restarts them.
        await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "kill", "--kill-who=main", "--signal=SIGKILL", "riverrun-host");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.Sandbox.ExecCheckedAsync("node1", "systemctl", "kill", "--kill-who=main", "--signal=SIGKILL", "riverrun-runner");
        var attached = await run;

        Assert.True(attached.ExitCode == 7, attached.ToString());
        Assert.Equal(expectedStdout, attached.StandardOutput);
        var stdout = await cluster.RiverRunAsync("logs", "--stdout", taskId);
        var stderr = await cluster.RiverRunAsync("logs", "--stderr", taskId);
        Assert.Equal(expectedStdout, stdout.StandardOutput);
        Assert.Equal(expectedStderr, stderr.StandardError);
        var status = await cluster.StatusAsync(taskId);
        Assert.Equal("FAILED", status["State"]);
        Assert.Contains("7", status["Exit"]);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_a_non_zero_exit_and_creates_no_task()
    {
        var cluster = fixture.Ready();
        var tasksBefore = await TaskIdsAsync(cluster);

        var unknownNode = await cluster.RiverRunAsync("run", "--target", "nosuchnode", "--", "true");
        var badMemory = await cluster.RiverRunAsync("run", "--target", "node1", "--memory", "12Q", "--", "true");
        var badCores = await cluster.RiverRunAsync("run", "--target", "node1", "--cores", "-1", "--", "true");
        var noCommand = await cluster.RiverRunAsync("run", "--target", "node1");

        Assert.Equal(2, unknownNode.ExitCode);
        Assert.Contains("nosuchnode", unknownNode.StandardError);
        Assert.Contains("node1", unknownNode.StandardError);
        Assert.Equal(2, badMemory.ExitCode);
        Assert.Contains("12Q", badMemory.StandardError);
        Assert.Equal(2, badCores.ExitCode);
        Assert.Contains("-1", badCores.StandardError);
        Assert.Equal(2, noCommand.ExitCode);
        Assert.NotEqual(string.Empty, noCommand.StandardError.Trim());
        Assert.Equal(tasksBefore, await TaskIdsAsync(cluster));
    }

    private static async Task<IReadOnlyList<string>> TaskIdsAsync(ClusterFixture cluster)
    {
        var list = await cluster.RiverRunAsync("list", "--limit", "1000");
        Assert.True(list.ExitCode == 0, list.ToString());
        return [.. list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(row => row.Split(' ')[0])];
    }

    private static async Task<string> WaitForNewTaskAsync(ClusterFixture cluster, IReadOnlyList<string> before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var added = (await TaskIdsAsync(cluster)).Except(before).ToList();
            if (added.Count > 0)
            {
                return Assert.Single(added);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the submitted task did not appear in the list within 30 s");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<int> CountProcessesAsync(ClusterFixture cluster, string marker)
    {
        var result = await cluster.Sandbox.ExecAsync("node1", ["pgrep", "-c", "-f", $"100[123][.]{marker}"]);
        return int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
