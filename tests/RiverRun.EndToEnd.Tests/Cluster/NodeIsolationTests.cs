using System.Diagnostics;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// What a task's secrets and files look like to the other users of its node: nothing on a command
/// line, no other task's spool, none of the Runner's records, and a timeout its user cannot stretch.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class NodeIsolationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string StateDirectory = "/var/lib/riverrun-runner";

    [Fact]
    public async Task Secrets_passed_with_env_reach_the_task_byte_for_byte_and_no_command_line_on_the_node_while_it_runs()
    {
        var cluster = fixture.Ready();
        await EnsureUserAsync(cluster, "node1", "rr-alice");
        const string Secret = "xyz-7c1e9d0a";
        var given = new Dictionary<string, string>
        {
            ["SECRET"] = Secret,
            ["LD_LIBRARY_PATH"] = $"/{Secret}-lib",
            ["TMPDIR"] = $"/tmp/{Secret}\nsecond line",
            ["DBUS_SESSION_BUS_ADDRESS"] = $"unix:path=/run/{Secret} 'single' \"double\" $HOME `id` \\ end",
            ["NOTE"] = $"plain {Secret}\nnext line",
        };

        var ids = await cluster.SubmitAsync([
            "--target", "node1", "--user", "rr-alice",
            .. given.SelectMany(pair => new[] { "--env", $"{pair.Key}={pair.Value}" }),
            "--", "sh", "-c", "env -0; echo; sleep 60"]);
        var id = ids[0];
        try
        {
            var printed = await WaitForOutputAsync(cluster, id);
            Assert.EndsWith("\0\n", printed, StringComparison.Ordinal);
            var commandLines = await cluster.Sandbox.ExecCheckedAsync("node1", "sh", "-c",
                "for f in /proc/[0-9]*/cmdline; do tr '\\000' ' ' <\"$f\" 2>/dev/null; echo; done");
            output.WriteLine($"scanned {commandLines.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} command lines in node1 while the task ran");

            // The scan saw the task itself (so it saw its wrapper and everything else too)...
            Assert.Contains("sleep 60", commandLines.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("riverrun-wrapper", commandLines.StandardOutput, StringComparison.Ordinal);
            // ...and no command line holds any of the values.
            Assert.DoesNotContain(Secret, commandLines.StandardOutput, StringComparison.Ordinal);

            var seen = printed.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : string.Empty, StringComparer.Ordinal);
            foreach (var (name, value) in given)
            {
                Assert.True(seen.TryGetValue(name, out var actual) && actual == value, $"{name}: expected [{value}], saw [{actual}]");
            }

            Assert.Equal("rr-alice", seen["USER"]);
            Assert.DoesNotContain(seen.Keys, name => name.StartsWith("RIVERRUN_TASK_ONLY", StringComparison.Ordinal));
        }
        finally
        {
            await cluster.RiverRunAsync("kill", id);
        }
    }

    [Fact]
    public async Task A_tasks_user_can_neither_read_nor_list_another_users_spool_nor_the_runners_records()
    {
        var cluster = fixture.Ready();
        await EnsureUserAsync(cluster, "node1", "rr-alice");
        await EnsureUserAsync(cluster, "node1", "rr-bob");
        var alice = (await cluster.SubmitAsync("--target", "node1", "--user", "rr-alice", "--", "sh", "-c", "echo alice-private; sleep 60"))[0];
        try
        {
            Assert.Equal("alice-private\n", await WaitForOutputAsync(cluster, alice));
            const string Probe = """
                s=/var/lib/riverrun-runner/node1; a=$1
                try() { if "$@" >/dev/null 2>&1; then echo "allowed: $*"; else echo "denied: $*"; fi; }
                try cat "$s/spool/$a/stdout"
                try ls "$s/spool/$a"
                try touch "$s/spool/$a/exit"
                try ls "$s/spool"
                try ls "$s/tasks"
                try ls "$s/tasks/$a"
                try cat "$s/tasks/$a/task.pb"
                try ls "$s/spool/$RIVERRUN_TASK_ID"
                """;

            var bob = await cluster.RiverRunAsync("run", "--target", "node1", "--user", "rr-bob", "--", "sh", "-c", Probe, "probe", alice);

            Assert.True(bob.ExitCode == 0, bob.ToString());
            var s = $"{StateDirectory}/node1";
            Assert.Equal(
                [
                    $"denied: cat {s}/spool/{alice}/stdout",
                    $"denied: ls {s}/spool/{alice}",
                    $"denied: touch {s}/spool/{alice}/exit",
                    $"denied: ls {s}/spool",
                    $"denied: ls {s}/tasks",
                    $"denied: ls {s}/tasks/{alice}",
                    $"denied: cat {s}/tasks/{alice}/task.pb",
                ],
                bob.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1));
            Assert.StartsWith($"allowed: ls {s}/spool/", bob.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);

            var modes = await cluster.Sandbox.ExecCheckedAsync("node1", "stat", "-c", "%n %a %U",
                s, $"{s}/runner.lock", $"{s}/tasks", $"{s}/tasks/{alice}", $"{s}/tasks/{alice}/task.pb",
                $"{s}/spool", $"{s}/spool/{alice}", $"{s}/spool/{alice}/started", $"{s}/spool/{alice}/stdout", $"{s}/spool/{alice}/stderr");
            Assert.Equal(
                [
                    $"{s} 711 root",
                    $"{s}/runner.lock 600 root",
                    $"{s}/tasks 700 root",
                    $"{s}/tasks/{alice} 700 root",
                    $"{s}/tasks/{alice}/task.pb 600 root",
                    $"{s}/spool 711 root",
                    $"{s}/spool/{alice} 700 rr-alice",
                    $"{s}/spool/{alice}/started 600 rr-alice",
                    $"{s}/spool/{alice}/stdout 600 rr-alice",
                    $"{s}/spool/{alice}/stderr 600 rr-alice",
                ],
                modes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await cluster.RiverRunAsync("kill", alice);
        }
    }

    [Fact]
    public async Task A_timeout_counts_from_the_real_start_through_a_Runner_restart_though_the_task_moved_its_start_marker_into_the_future()
    {
        var cluster = fixture.Ready();
        var clock = Stopwatch.StartNew();
        var id = (await cluster.SubmitAsync("--target", "node2", "--timeout", "10s", "--", "sh", "-c",
            $"touch -d 2099-01-01 {StateDirectory}/node2/spool/$RIVERRUN_TASK_ID/started && echo moved; sleep 120"))[0];
        Assert.Equal("moved\n", await WaitForOutputAsync(cluster, id));
        var runningSeen = clock.Elapsed;
        var marker = await cluster.Sandbox.ExecCheckedAsync("node2", "stat", "-c", "%y", $"{StateDirectory}/node2/spool/{id}/started");
        Assert.StartsWith("2099-01-01", marker.StandardOutput, StringComparison.Ordinal);

        // Halfway through, the Runner restarts and re-adopts the task: it must not measure the ten
        // seconds again from the adoption, nor from the marker's (future) time.
        await Task.Delay(TimeSpan.FromSeconds(5) - (clock.Elapsed - runningSeen));
        await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "restart", "riverrun-runner");
        var status = await cluster.WaitForStateAsync(id, TimeSpan.FromSeconds(60), "TIMED_OUT", "KILLED", "FAILED", "SUCCEEDED", "LOST");
        var ran = clock.Elapsed - runningSeen;
        output.WriteLine($"a 10 s timeout with a Runner restart 5 s in ended TIMED_OUT {ran.TotalSeconds:0.0} s after the task was seen running");

        Assert.Equal("TIMED_OUT", status["State"]);
        // 10 s from the start; measured from the adoption it would be 15 s or more.
        Assert.True(ran < TimeSpan.FromSeconds(14), $"the task ended {ran} after it was seen running");
        Assert.True(ran > TimeSpan.FromSeconds(8), $"the task ended {ran} after it was seen running");
    }

    private static async Task EnsureUserAsync(ClusterFixture cluster, string node, string user) =>
        await cluster.Sandbox.ExecCheckedAsync(node, "sh", "-c", "id -u \"$1\" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh \"$1\"", "sh", user);

    // The task's stdout once it printed a whole line (it then keeps running).
    private static async Task<string> WaitForOutputAsync(ClusterFixture cluster, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var logs = await cluster.RiverRunAsync("logs", "--stdout", id);
            if (logs.StandardOutput.EndsWith('\n'))
            {
                return logs.StandardOutput;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"task {id} printed nothing within 60 s: {await cluster.StatusAsync(id)}");
            }

            await Task.Delay(200);
        }
    }
}
