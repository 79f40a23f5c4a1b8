using System.Text.RegularExpressions;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// RiverRun as installed system services (`riverrun init service --install`, as the sandbox and
/// a user do): socket activation, readiness, the watchdog, Runner instances, secrets, the journal.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed partial class ServiceTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task With_the_Host_stopped_and_its_socket_listening_the_first_call_starts_the_Host_and_succeeds()
    {
        var cluster = fixture.Ready();
        // The Runners would reconnect at once and so start the Host themselves: this test's call
        // must be the first.
        await cluster.Sandbox.ExecCheckedAsync("node1", "systemctl", "stop", "riverrun-runner.service");
        await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "stop", "riverrun-runner.service");
        try
        {
            await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "stop", "riverrun-host.service");
            Assert.Equal("inactive\n", (await cluster.Sandbox.ExecAsync("head", ["systemctl", "is-active", "riverrun-host.service"])).StandardOutput);
            Assert.Equal("active\n", (await cluster.Sandbox.ExecAsync("head", ["systemctl", "is-active", "riverrun-host.socket"])).StandardOutput);

            var nodes = await cluster.RiverRunAsync("nodes");

            Assert.True(nodes.ExitCode == 0, nodes.ToString());
            Assert.Equal("active\n", (await cluster.Sandbox.ExecAsync("head", ["systemctl", "is-active", "riverrun-host.service"])).StandardOutput);
        }
        finally
        {
            await cluster.Sandbox.ExecAsync("node1", ["systemctl", "start", "riverrun-runner.service"]);
            await cluster.Sandbox.ExecAsync("node2", ["systemctl", "start", "riverrun-runner.service"]);
        }

        await WaitForConnectedAsync(cluster, "node1", "node2");
    }

    [Fact]
    public async Task Starting_a_Runner_returns_only_once_the_Host_lists_it_as_connected()
    {
        var cluster = fixture.Ready();
        await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "stop", "riverrun-runner.service");
        Assert.DoesNotMatch(ConnectedLine("node2"), (await cluster.RiverRunAsync("nodes")).StandardOutput);

        await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "start", "riverrun-runner.service");

        // No waiting here: Type=notify, and the Runner says READY only once registered.
        var nodes = await cluster.RiverRunAsync("nodes");
        Assert.Matches(ConnectedLine("node2"), nodes.StandardOutput);
    }

    [Fact]
    public async Task A_Host_that_stops_responding_is_restarted_by_systemds_watchdog()
    {
        var cluster = fixture.Ready();
        // A short watchdog for this test only (the installed unit's is longer).
        await cluster.Sandbox.ExecCheckedAsync("head", "mkdir", "-p", "/run/systemd/system/riverrun-host.service.d");
        await cluster.Sandbox.ExecCheckedAsync("head", "sh", "-c", "printf '[Service]\\nWatchdogSec=4s\\n' > /run/systemd/system/riverrun-host.service.d/watchdog.conf");
        try
        {
            await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "daemon-reload");
            await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "restart", "riverrun-host.service");
            var before = await MainPidAsync(cluster, "head", "riverrun-host.service");
            // Still fed while it merely idles, well past the interval.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.Equal(before, await MainPidAsync(cluster, "head", "riverrun-host.service"));

            await cluster.Sandbox.ExecCheckedAsync("head", "kill", "-STOP", before);
            var started = DateTime.UtcNow;
            string after;
            do
            {
                await Task.Delay(500);
                after = await MainPidAsync(cluster, "head", "riverrun-host.service");
            }
            while ((after == before || after == "0") && DateTime.UtcNow - started < Patience);

            Assert.NotEqual(before, after);
            // WatchdogSec (4 s) + TimeoutAbortSec (5 s: SIGABRT does nothing to a stopped process, SIGKILL does) + RestartSec (2 s) + a start.
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4 + 5 + 2 + 8), $"restarted after {DateTime.UtcNow - started}");
            var journal = await cluster.Sandbox.ExecAsync("head", ["journalctl", "-u", "riverrun-host.service", "--no-pager", "-n", "200"]);
            Assert.Contains("Watchdog timeout", journal.StandardOutput, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await cluster.Sandbox.ExecAsync("head", ["rm", "-rf", "/run/systemd/system/riverrun-host.service.d"]);
            await cluster.Sandbox.ExecAsync("head", ["systemctl", "daemon-reload"]);
            await cluster.Sandbox.ExecAsync("head", ["systemctl", "restart", "riverrun-host.service"]);
            await WaitForConnectedAsync(cluster, "node1", "node2");
        }
    }

    [Fact]
    public async Task The_Hosts_log_lines_reach_the_journal_with_their_priorities()
    {
        var cluster = fixture.Ready();

        var journal = await cluster.Sandbox.ExecAsync("head", ["journalctl", "-u", "riverrun-host.service", "--no-pager", "-o", "verbose", "-n", "500"]);

        Assert.True(journal.ExitCode == 0, journal.ToString());
        // Information is priority 6; the line that says the Host started is one of them.
        Assert.Matches(new Regex(@"PRIORITY=6[\s\S]*?MESSAGE=.*Host started", RegexOptions.Multiline), journal.StandardOutput);
    }

    [Fact]
    public async Task The_token_lives_only_in_the_0600_environment_file_never_in_systemctl_ps_the_journal_or_a_task()
    {
        var cluster = fixture.Ready();
        const string EnvFile = "/etc/riverrun/riverrun.env";
        // The real one: `sandbox up` put node1's runner token there, as README tells a user to.
        var secret = (await cluster.Sandbox.ExecCheckedAsync("node1", "sed", "-n", "s/^RIVERRUN_TOKEN=//p", EnvFile)).StandardOutput.Trim();
        Assert.StartsWith("rr_", secret, StringComparison.Ordinal);

        await cluster.Sandbox.ExecCheckedAsync("node1", "systemctl", "restart", "riverrun-runner.service");
        await WaitForConnectedAsync(cluster, "node1");

        var mode = await cluster.Sandbox.ExecCheckedAsync("node1", "stat", "-c", "%a %U", EnvFile);
        Assert.Equal("600 root\n", mode.StandardOutput);
        var show = await cluster.Sandbox.ExecCheckedAsync("node1", "systemctl", "show", "riverrun-runner.service", "-p", "Environment", "-p", "ExecStart");
        Assert.DoesNotContain(secret, show.StandardOutput, StringComparison.Ordinal);
        var ps = await cluster.Sandbox.ExecCheckedAsync("node1", "ps", "-eo", "args");
        Assert.DoesNotContain(secret, ps.StandardOutput, StringComparison.Ordinal);
        var task = await cluster.RiverRunAsync("run", "--target", "node1", "--", "env");
        Assert.True(task.ExitCode == 0, task.ToString());
        Assert.DoesNotContain(secret, task.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("RIVERRUN_TOKEN", task.StandardOutput, StringComparison.Ordinal);
        var journal = await cluster.Sandbox.ExecAsync("node1", ["journalctl", "--no-pager", "-n", "2000"]);
        Assert.DoesNotContain(secret, journal.StandardOutput, StringComparison.Ordinal);
        var hostJournal = await cluster.Sandbox.ExecAsync("head", ["journalctl", "--no-pager", "-n", "2000"]);
        Assert.DoesNotContain(secret, hostJournal.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.AdminToken, hostJournal.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_Runner_instances_on_one_node_have_their_own_share_and_slice_and_stopping_one_leaves_every_task_alone()
    {
        var cluster = fixture.Ready();
        foreach (var instance in new[] { "a", "b" })
        {
            await cluster.Sandbox.ExecCheckedAsync("node2", "sh", "-c", $"printf 'cores = 1\\nmemory = \"256M\"\\n' > /etc/riverrun/runner-{instance}.toml");
            await cluster.Sandbox.ExecCheckedAsync("node2", "/opt/riverrun/riverrun", "init", "service", "--runner", "--instance", instance, "--install", "--now");
        }

        try
        {
            await WaitForConnectedAsync(cluster, "node2-a", "node2-b");
            var nodes = (await cluster.RiverRunAsync("nodes")).StandardOutput;
            Assert.Matches(new Regex(@"^node2-a\s+yes\s+0/1\s", RegexOptions.Multiline), nodes);

            // Long enough to outlast the checks below on a busy machine.
            var ofA = (await cluster.SubmitAsync("--target", "node2-a", "--", "sh", "-c", "sleep 20; echo a done"))[0];
            await cluster.WaitForStateAsync(ofA, Patience, "RUNNING");
            // '-' in a name is escaped: riverrun-node2-a.slice would be a child of riverrun-node2.slice.
            Assert.Equal("riverrun-node2\\x2da.slice\n", (await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "show", "-p", "Slice", "--value", $"riverrun-{ofA}.scope")).StandardOutput);
            var ofB = (await cluster.SubmitAsync("--target", "node2-b", "--", "sh", "-c", "sleep 20; echo b done"))[0];
            await cluster.WaitForStateAsync(ofB, Patience, "RUNNING");
            Assert.Equal("riverrun-node2\\x2db.slice\n", (await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "show", "-p", "Slice", "--value", $"riverrun-{ofB}.scope")).StandardOutput);

            await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "stop", "riverrun-runner@a.service");

            Assert.Equal("active\n", (await cluster.Sandbox.ExecAsync("node2", ["systemctl", "is-active", $"riverrun-{ofA}.scope"])).StandardOutput);
            Assert.Equal("RUNNING", (await cluster.StatusAsync(ofB))["State"]);
            await cluster.Sandbox.ExecCheckedAsync("node2", "systemctl", "start", "riverrun-runner@a.service");
            Assert.Equal("SUCCEEDED", (await cluster.WaitForStateAsync(ofA, Patience, "SUCCEEDED", "FAILED", "LOST"))["State"]);
            Assert.Equal("SUCCEEDED", (await cluster.WaitForStateAsync(ofB, Patience, "SUCCEEDED", "FAILED", "LOST"))["State"]);
            Assert.Equal("a done\n", (await cluster.RiverRunAsync("logs", ofA)).StandardOutput);
        }
        finally
        {
            foreach (var instance in new[] { "a", "b" })
            {
                await cluster.Sandbox.ExecAsync("node2", ["systemctl", "disable", "--now", $"riverrun-runner@{instance}.service"]);
            }
        }
    }

    [Fact]
    public async Task A_Runner_takes_three_hundred_tasks_at_once_and_every_one_succeeds()
    {
        // Tasks without --cores reserve nothing, so the Host sends all of them to the node at once.
        // Found with 1,000: a NativeAOT Runner kept the service's soft limit of 1024 descriptors,
        // ran out at about a hundred tasks in flight, failed them, and lost its own connection.
        var cluster = fixture.Ready();
        var pid = await MainPidAsync(cluster, "node1", "riverrun-runner.service");
        var limits = (await cluster.Sandbox.ExecCheckedAsync("node1", "cat", $"/proc/{pid}/limits")).StandardOutput;
        var openFiles = Regex.Match(limits, @"^Max open files\s+(?<soft>\d+)\s+(?<hard>\d+)", RegexOptions.Multiline);
        Assert.True(openFiles.Success, limits);
        Assert.Equal(openFiles.Groups["hard"].Value, openFiles.Groups["soft"].Value);

        var targets = Enumerable.Repeat("node1", 100).SelectMany(node => new[] { "--target", node }).ToArray();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.AddRange(await cluster.SubmitAsync([.. targets, "--", "sh", "-c", "sleep 0.5; echo done"]));
        }

        Assert.Equal(300, ids.Count);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        string unfinished;
        do
        {
            await Task.Delay(1000);
            unfinished = (await cluster.RiverRunAsync("list", "--node", "node1", "--limit", "1000", "--state", "queued", "--state", "assigned", "--state", "running")).StandardOutput;
        }
        while (ids.Any(unfinished.Contains) && DateTime.UtcNow < deadline);

        var succeeded = (await cluster.RiverRunAsync("list", "--node", "node1", "--limit", "1000", "--state", "succeeded")).StandardOutput;
        var notSucceeded = ids.Where(id => !succeeded.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.True(notSucceeded.Count == 0, $"{notSucceeded.Count} of 300 tasks did not succeed, e.g. {string.Join(", ", notSucceeded.Take(5))}");
        Assert.Equal(pid, await MainPidAsync(cluster, "node1", "riverrun-runner.service"));
    }

    private static Regex ConnectedLine(string node) => new($@"^{Regex.Escape(node)}\s+yes\b", RegexOptions.Multiline);

    private static async Task<string> MainPidAsync(ClusterFixture cluster, string node, string unit) =>
        (await cluster.Sandbox.ExecCheckedAsync(node, "systemctl", "show", "-p", "MainPID", "--value", unit)).StandardOutput.Trim();

    private static async Task WaitForConnectedAsync(ClusterFixture cluster, params string[] nodes)
    {
        var deadline = DateTime.UtcNow + Patience;
        string table;
        do
        {
            table = (await cluster.RiverRunAsync("nodes")).StandardOutput;
            if (nodes.All(n => ConnectedLine(n).IsMatch(table)))
            {
                return;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"not all of {string.Join(", ", nodes)} connected within {Patience}:\n{table}");
    }
}
