using System.Globalization;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.CgroupV2;

/// <summary>
/// The Runner's cgroup v2 paths, on a real systemd on the unified hierarchy (the sandbox's VM
/// node). Its CPU is emulated: everything takes seconds, hence the generous timeouts.
/// Run only these: dotnet test tests/RiverRun.EndToEnd.Tests -c Release --filter "FullyQualifiedName~CgroupV2"
/// </summary>
[Collection(V2ClusterTestGroup.Name)]
public sealed class V2NodeTests(V2ClusterFixture fixture)
{
    private const string Node = V2ClusterFixture.Node;
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_node_reports_systemd_and_cgroup_v2_and_nodes_wide_shows_them()
    {
        var cluster = fixture.Ready();

        var nodes = await cluster.RiverRunAsync("nodes", "-o", "wide");

        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        var line = Assert.Single(nodes.StandardOutput.Split('\n'), l => l.StartsWith(Node + " ", StringComparison.Ordinal));
        var systemd = (await cluster.InNodeAsync("systemctl --version | head -n 1 | cut -d' ' -f2")).Trim();
        // The wide columns end the line: ... HOSTNAME SYSTEMD CGROUP VERSION.
        var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([Node, systemd, "v2"], [cells[^4], cells[^3], cells[^2]]);
    }

    [Fact]
    public async Task A_task_over_its_memory_limit_ends_OOM_KILLED_from_memory_events_though_its_shell_was_SIGTERMed()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", Node, "--memory", "50M", "--", "sh", "-c", "tail /dev/zero");

        var status = await cluster.WaitForStateAsync(ids[0], Slow, "OOM_KILLED", "FAILED", "SUCCEEDED", "KILLED");

        // The kernel kills tail; the scope's OOMPolicy=stop then SIGTERMs the surviving shell:
        // the exit alone says 143, only memory.events says OOM.
        Assert.Equal("OOM_KILLED", status["State"]);
        Assert.Equal("signal 15", status["Exit"]);
        Assert.Contains("OOM kill", status["Reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifth_of_a_core_gets_10_to_35_percent_of_a_CPU_measured_from_the_scopes_cpu_stat()
    {
        var cluster = fixture.Ready();
        var ids = await cluster.SubmitAsync("--target", Node, "--cores", "0.2", "--", "sh", "-c", "while :; do :; done");
        await cluster.WaitForStateAsync(ids[0], Slow, "RUNNING");
        var scope = await cluster.ScopeDirectoryAsync(ids[0]);

        // Measured inside the guest, so that the exec channel's own latency is not in the window.
        var measured = await cluster.InNodeAsync(
            $"d={scope}; cat $d/cpu.max; sleep 2; " +
            "u1=$(awk '/^usage_usec/{print $2}' $d/cpu.stat); w1=$(date +%s%N); sleep 10; " +
            "u2=$(awk '/^usage_usec/{print $2}' $d/cpu.stat); w2=$(date +%s%N); echo $(( (u2-u1)*100000/(w2-w1) ))");
        await cluster.RiverRunAsync("kill", "--grace", "1s", ids[0]);

        var lines = measured.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("20000 100000", lines[0].Trim());
        var percent = int.Parse(lines[1].Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(percent, 10, 35);
    }

    [Fact]
    public async Task Pause_freezes_the_whole_scope_and_resume_thaws_it_a_grandchilds_counter_stops_and_continues()
    {
        var cluster = fixture.Ready();
        var counter = $"/var/tmp/rr-counter-{Random.Shared.Next(100_000, 999_999)}";
        var ids = await cluster.SubmitAsync("--target", Node, "--", "sh", "-c",
            $"sh -c 'i=0; while :; do i=$((i+1)); echo $i > {counter}; sleep 0.2; done' & wait");
        var unit = $"riverrun-{ids[0]}.scope";
        await cluster.WaitForStateAsync(ids[0], Slow, "RUNNING");
        await cluster.InNodeAsync($"for i in $(seq 300); do [ -s {counter} ] && exit 0; sleep 0.2; done; exit 1");

        var pause = await cluster.RiverRunAsync("pause", ids[0]);
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Equal("PAUSED", (await cluster.StatusAsync(ids[0]))["State"]);
        var frozen = await cluster.InNodeAsync(
            $"systemctl show -p FreezerState --value {unit}; a=$(cat {counter}); sleep 3; b=$(cat {counter}); echo $a $b");

        var resume = await cluster.RiverRunAsync("resume", ids[0]);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        var thawed = await cluster.InNodeAsync(
            $"systemctl show -p FreezerState --value {unit}; a=$(cat {counter}); sleep 3; b=$(cat {counter}); echo $a $b");
        Assert.Equal("RUNNING", (await cluster.StatusAsync(ids[0]))["State"]);
        await cluster.RiverRunAsync("kill", "--grace", "1s", ids[0]);

        var (frozenState, frozenBefore, frozenAfter) = Counter(frozen);
        Assert.Equal("frozen", frozenState);
        Assert.Equal(frozenBefore, frozenAfter);
        var (thawedState, thawedBefore, thawedAfter) = Counter(thawed);
        Assert.Equal("running", thawedState);
        Assert.True(thawedAfter > thawedBefore, $"the counter did not continue after resume: {thawed}");
    }

    [Fact]
    public async Task A_NUMA_target_puts_the_nodes_cpus_and_memory_into_the_scopes_effective_cpuset()
    {
        var cluster = fixture.Ready();
        var node0Cpus = (await cluster.InNodeAsync("cat /sys/devices/system/node/node0/cpulist")).Trim();

        var run = await cluster.RiverRunAsync("run", "--target", Node + ":0", "--", "sh", "-c",
            "d=/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup); echo cpus=$(cat $d/cpuset.cpus.effective) mems=$(cat $d/cpuset.mems.effective) own=$(cat $d/cpuset.cpus)");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"cpus={node0Cpus} mems=0 own={node0Cpus}", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_the_tasks_cpu_time_and_peak_memory_read_from_its_cgroup()
    {
        var cluster = fixture.Ready();
        // dd touches its whole 40 MiB buffer; the loop burns a little CPU.
        var ids = await cluster.SubmitAsync("--target", Node, "--", "sh", "-c",
            "dd if=/dev/zero of=/dev/null bs=40M count=2 2>/dev/null; i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done");

        var status = await cluster.WaitForStateAsync(ids[0], Slow, "SUCCEEDED", "FAILED");

        Assert.Equal("SUCCEEDED", status["State"]);
        var cpu = double.Parse(status["CPU time"].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(cpu, 0.05, 120);
        var peak = long.Parse(status["Peak memory"].Split('(', ')')[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(peak, 40L << 20, 400L << 20);
    }

    [Fact]
    public async Task A_Runner_restart_mid_task_re_adopts_the_scope_loses_no_output_and_reports_a_task_that_ended_meanwhile_with_its_exit_code()
    {
        var cluster = fixture.Ready();
        var stop = $"/var/tmp/rr-stop-{Random.Shared.Next(100_000, 999_999)}";
        var longTask = await cluster.SubmitAsync("--target", Node, "--", "sh", "-c",
            $"i=0; while [ ! -e {stop} ]; do i=$((i+1)); echo line $i; sleep 0.5; done; echo last");
        await cluster.WaitForStateAsync(longTask[0], Slow, "RUNNING");
        var shortTask = await cluster.SubmitAsync("--target", Node, "--", "sh", "-c", "sleep 4; echo done; exit 7");
        await cluster.WaitForStateAsync(shortTask[0], Slow, "RUNNING");

        // A crash: the service manager restarts the Runner (Restart=on-failure). .NET on the
        // emulated CPU needs well over 4 s to start again, so the short task ends meanwhile.
        var killedAt = (await cluster.InNodeAsync("date +%s; systemctl kill -s SIGKILL riverrun-runner")).Trim();
        await cluster.InNodeAsync(
            $"for i in $(seq 600); do journalctl -u riverrun-runner --since=@{killedAt} | grep -q 'Registered as {Node}' && exit 0; sleep 0.5; done; exit 1");
        Assert.Equal("RUNNING", (await cluster.StatusAsync(longTask[0]))["State"]);
        await cluster.InNodeAsync($"touch {stop}");

        var longStatus = await cluster.WaitForStateAsync(longTask[0], Slow, "SUCCEEDED", "FAILED", "LOST");
        var shortStatus = await cluster.WaitForStateAsync(shortTask[0], Slow, "SUCCEEDED", "FAILED", "LOST");

        Assert.Equal("SUCCEEDED", longStatus["State"]);
        var logs = await cluster.RiverRunAsync("logs", longTask[0]);
        var lines = logs.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("last", lines[^1]);
        Assert.Equal(Enumerable.Range(1, lines.Length - 1).Select(i => $"line {i}"), lines[..^1]);
        Assert.Equal("FAILED", shortStatus["State"]);
        Assert.Equal("code 7", shortStatus["Exit"]);
        Assert.Equal("done\n", (await cluster.RiverRunAsync("logs", shortTask[0])).StandardOutput);
    }

    [Fact]
    public async Task Kill_ends_the_whole_scope_grandchildren_included_with_SIGTERM_then_SIGKILL()
    {
        var cluster = fixture.Ready();
        var mark = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        // Not named after the mark: the checking shell's argv holds this path.
        var log = $"/var/tmp/rr-kill-{Guid.NewGuid():N}";
        // A pattern that matches the mark but not itself: the checking shell's own argv holds it.
        var pattern = $"[{mark[0]}]{mark[1..]}";
        // The grandchild notes the SIGTERM and carries on: only SIGKILL ends it.
        var ids = await cluster.SubmitAsync("--target", Node, "--", "sh", "-c",
            $"sh -c 'trap \"echo term >> {log}\" TERM; while :; do sleep 0.2; done; : {mark}' & sleep 1000.{mark} & wait");
        await cluster.WaitForStateAsync(ids[0], Slow, "RUNNING");
        await cluster.InNodeAsync($"for i in $(seq 300); do [ $(pgrep -c -f '{pattern}') -ge 2 ] && exit 0; sleep 0.2; done; exit 1");

        var kill = await cluster.RiverRunAsync("kill", "--grace", "3s", ids[0]);

        Assert.True(kill.ExitCode == 0, kill.ToString());
        var status = await cluster.WaitForStateAsync(ids[0], Slow, "KILLED", "FAILED", "SUCCEEDED");
        Assert.Equal("KILLED", status["State"]);
        var after = await cluster.InNodeAsync(
            $"echo procs=$(pgrep -c -f '{pattern}'); echo log=$(cat {log} 2>/dev/null | head -n 1); echo scope=$(systemctl is-active riverrun-{ids[0]}.scope)");
        Assert.Contains("procs=0", after, StringComparison.Ordinal);
        Assert.Contains("log=term", after, StringComparison.Ordinal);
        Assert.DoesNotContain("scope=active", after, StringComparison.Ordinal);
    }

    private static (string State, long Before, long After) Counter(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ');
        return (lines[0].Trim(), long.Parse(values[0], CultureInfo.InvariantCulture), long.Parse(values[1], CultureInfo.InvariantCulture));
    }
}
