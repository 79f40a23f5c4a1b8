using System.Globalization;
using System.Net;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>`riverrun doctor` inside a node, and the Host's /healthz and /metrics, against the sandbox's cluster.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class DoctorAndMonitoringTests(ClusterFixture fixture)
{
    private static readonly string MonitoringUrl = $"http://127.0.0.1:{(ClusterFixture.Port + 1000).ToString(CultureInfo.InvariantCulture)}";

    [Fact]
    public async Task Doctor_in_node1_passes_every_check_against_the_sandboxes_host()
    {
        var cluster = fixture.Ready();

        var doctor = await cluster.Sandbox.ExecAsync("node1", ["/opt/riverrun/riverrun", "doctor", "--host", ClusterFixture.HostUrl, "--ca", ClusterFixture.NodeCaFile]);

        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.Contains("ok    memory limit    enforced:", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok    cpu limit       enforced:", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ok    host            the Host at {ClusterFixture.HostUrl} is serving", doctor.StandardOutput, StringComparison.Ordinal);
        // The nodes see no cgroup2 mount (v1 hierarchies only), so whether the machine has favordynmods
        // is invisible to them: a note, unless the kernel was booted with it and shows it on v1 too.
        Assert.Matches(@"(ok|note)  launch latency  favordynmods ", doctor.StandardOutput);
        Assert.Matches(@"all 8 checks passed( \(1 with a note\))?: this node can run a Runner\n$", doctor.StandardOutput);
        Assert.True(doctor.Duration < TimeSpan.FromSeconds(5), $"doctor took {doctor.Duration}");
    }

    [Fact]
    public async Task Doctor_pointed_at_a_host_that_is_not_there_fails_with_exit_1_saying_how_to_fix_it()
    {
        var cluster = fixture.Ready();

        var doctor = await cluster.Sandbox.ExecAsync("node1", ["/opt/riverrun/riverrun", "doctor", "--host", "http://127.0.0.1:1"]);

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("FAIL  host            cannot reach the Host at http://127.0.0.1:1: Connection refused", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fix: start the Host (systemctl start riverrun-host) or point at it with --host URL", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("1 of 8 checks failed\n", doctor.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_a_token_file_that_other_users_can_read()
    {
        var cluster = fixture.Ready();
        await cluster.Sandbox.ExecCheckedAsync("node1", "sh", "-c", "umask 022 && echo RIVERRUN_TOKEN=x > /tmp/doctor-test.env");

        var doctor = await cluster.Sandbox.ExecAsync("node1", ["/opt/riverrun/riverrun", "doctor", "--host", ClusterFixture.HostUrl, "--ca", ClusterFixture.NodeCaFile, "--env-file", "/tmp/doctor-test.env"]);

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("FAIL  token file      /tmp/doctor-test.env: mode 0644 lets other users read it", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fix: chmod 600 /tmp/doctor-test.env", doctor.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers_and_a_metric_moves_when_a_task_runs()
    {
        var cluster = fixture.Ready();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var health = await http.GetAsync(new Uri($"{MonitoringUrl}/healthz"));
        var before = await http.GetStringAsync(new Uri($"{MonitoringUrl}/metrics"));

        var run = await cluster.RiverRunAsync("run", "--target", "node2", "--", "echo", "counted");
        var after = await http.GetStringAsync(new Uri($"{MonitoringUrl}/metrics"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy\n", await health.Content.ReadAsStringAsync());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(Launches(after) >= Launches(before) + 1, $"before:\n{before}\nafter:\n{after}");
        Assert.Contains("riverrun_nodes_connected", after, StringComparison.Ordinal);
    }

    private static double Launches(string metrics) =>
        metrics.Split('\n').Where(line => line.StartsWith("riverrun_task_launches_total", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .Single();
}
