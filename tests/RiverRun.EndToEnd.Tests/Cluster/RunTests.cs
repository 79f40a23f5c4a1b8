using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>`riverrun run` and `submit` against real scopes in the sandbox's nodes.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class RunTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Run_streams_stdout_and_stderr_apart_and_exits_with_the_tasks_code()
    {
        var cluster = fixture.Ready();

        var run = await cluster.RiverRunAsync("run", "--target", "node1", "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal("out\n", run.StandardOutput);
        Assert.Contains("err\n", run.StandardError);
        var taskId = await NewestTaskOnAsync(cluster, "node1");
        var status = await cluster.StatusAsync(taskId);
        Assert.Equal("FAILED", status["State"]);
        Assert.Contains("3", status["Exit"]);
        Assert.Equal($"riverrun-{taskId}.scope", status["Unit"]);
    }

    [Fact]
    public async Task A_tasks_cpu_time_is_its_own_or_unknown_never_the_whole_nodes()
    {
        var cluster = fixture.Ready();
        // node1 is a container that was not given the cpuacct controller: the scope's processes
        // see the node's root there, whose counter holds every process of the node (over a
        // minute by now), which each task used to report as its own.
        var ids = await cluster.SubmitAsync("--target", "node1", "--", "true");

        var status = await cluster.WaitForStateAsync(ids[0], TimeSpan.FromMinutes(1), "SUCCEEDED", "FAILED");

        Assert.Equal("SUCCEEDED", status["State"]);
        var cpu = status["CPU time"];
        Assert.True(
            cpu == "-" || double.Parse(cpu.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) < 1,
            $"`true` reported a CPU time of {cpu}");
    }

    [Fact]
    public async Task Submit_with_two_targets_makes_one_task_per_node()
    {
        var cluster = fixture.Ready();

        var ids = await cluster.SubmitAsync("--target", "node1", "--target", "node2", "--", "hostname");

        Assert.Equal(2, ids.Count);
        var first = await cluster.RiverRunAsync("logs", "-f", ids[0]);
        var second = await cluster.RiverRunAsync("logs", "-f", ids[1]);
        Assert.Equal("node1\n", first.StandardOutput);
        Assert.Equal("node2\n", second.StandardOutput);
        Assert.Equal("SUCCEEDED", (await cluster.StatusAsync(ids[0]))["State"]);
    }

    [Fact]
    public async Task The_tasks_environment_is_what_was_asked_for_loader_variables_included_and_nothing_of_the_Runners()
    {
        var cluster = fixture.Ready();

        var run = await cluster.RiverRunAsync("run", "--target", "node1", "--user", "nobody",
            "--env", "LD_LIBRARY_PATH=/opt/lib", "--env", "API_TOKEN=s3cret", "--",
            "sh", "-c", "echo \"$LD_LIBRARY_PATH $API_TOKEN $USER $RIVERRUN_NODE\"");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/opt/lib s3cret nobody node1", lines[0]);
    }

    [Fact]
    public async Task A_task_over_its_memory_limit_ends_OOM_KILLED()
    {
        var cluster = fixture.Ready();

        var run = await cluster.RiverRunAsync("run", "--target", "node1", "--memory", "50M", "--", "sh", "-c", "tail /dev/zero");

        Assert.True(run.ExitCode == 250, run.ToString());
        var status = await cluster.StatusAsync(await NewestTaskOnAsync(cluster, "node1"));
        Assert.Equal("OOM_KILLED", status["State"]);
    }

    [Fact]
    public async Task Half_a_core_gives_a_busy_loop_between_35_and_65_percent_of_its_wall_time()
    {
        var cluster = fixture.Ready();

        // CPU time from the kernel's accounting of the loop (bash `times`, children), wall time
        // around it; both measured inside the task's scope.
        var run = await cluster.RiverRunAsync("run", "--target", "node1", "--cores", "0.5", "--",
            "bash", "-c",
            "start=$(date +%s%N); timeout 3 bash -c 'while :; do :; done'; end=$(date +%s%N); " +
            "echo wall_ns=$((end-start)); times");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wallSeconds = long.Parse(lines[0]["wall_ns=".Length..], System.Globalization.CultureInfo.InvariantCulture) / 1e9;
        var children = lines[^1].Split(' ');
        var cpuSeconds = BashTimes.Parse(children[0]) + BashTimes.Parse(children[1]);
        var share = cpuSeconds / wallSeconds;
        Assert.True(share is >= 0.35 and <= 0.65,
            $"CPU share {share:P0} ({cpuSeconds:F2}s CPU over {wallSeconds:F2}s wall) is outside 35-65%");
    }

    [Fact]
    public async Task Two_hundred_megabytes_of_random_output_arrive_byte_identical_through_run_and_logs()
    {
        var cluster = fixture.Ready();

        // The task prints the sha256 of what it writes to stderr, so the bytes are compared with
        // their source, not only between run and logs.
        var run = await StreamingProcess.RunHashingStdoutAsync(cluster.RiverRunExecutable,
            ["run", "--target", "node1", "--", "bash", "-c",
             "f=$(mktemp); head -c 200000000 /dev/urandom >$f; sha256sum <$f >&2; cat $f; rm -f $f"],
            cluster.Environment, TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(200_000_000, run.StdoutLength);
        Assert.Contains(run.StdoutSha256, run.StandardError);
        var taskId = await NewestTaskOnAsync(cluster, "node1");
        var logs = await StreamingProcess.RunHashingStdoutAsync(cluster.RiverRunExecutable,
            ["logs", "--stdout", taskId], cluster.Environment, TimeSpan.FromMinutes(5));
        Assert.Equal(run.StdoutSha256, logs.StdoutSha256);
    }

    [Fact]
    public async Task A_line_printed_by_the_task_reaches_the_terminal_before_the_task_ends()
    {
        var cluster = fixture.Ready();

        var (firstLine, exited, exitCode, stdout) = await StreamingProcess.RunTimingFirstLineAsync(
            cluster.RiverRunExecutable,
            ["run", "--target", "node1", "--", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; sleep 0.2; done"],
            cluster.Environment, TimeSpan.FromMinutes(1));

        Assert.Equal(0, exitCode);
        Assert.StartsWith("line 1\n", stdout);
        Assert.Contains("line 10\n", stdout);
        // The task runs ~2 s; its first line must be on screen long before the end.
        Assert.True(exited - firstLine > TimeSpan.FromSeconds(1), $"first line at {firstLine}, exit at {exited}");
    }

    internal static async Task<string> NewestTaskOnAsync(ClusterFixture cluster, string node)
    {
        var list = await cluster.RiverRunAsync("list", "--node", node, "--limit", "1");
        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(rows.Length >= 2, $"no task listed on {node}: {list}");
        return rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
