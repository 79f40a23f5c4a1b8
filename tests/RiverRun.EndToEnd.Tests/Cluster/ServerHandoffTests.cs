using System.Globalization;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// The NativeAOT `riverrun` is the client alone and execs riverrun-server for `host` (and runner,
/// init, doctor). Under systemd that must be invisible: one process, ready when the Host is.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ServerHandoffTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Riverrun_host_as_a_notify_unit_becomes_riverrun_server_in_the_same_process_which_reports_ready_and_stops_on_sigterm()
    {
        var cluster = fixture.Ready();
        var unit = "riverrun-handoff-" + Guid.NewGuid().ToString("N")[..8];
        var port = (ClusterFixture.Port + 2000).ToString(CultureInfo.InvariantCulture);
        var data = $"/var/tmp/{unit}";
        try
        {
            // An empty configuration file: head's own (/etc/riverrun/host.toml) turns TLS on.
            await cluster.Sandbox.ExecCheckedAsync("head", "sh", "-c", $"mkdir -p {data} && : > {data}/host.toml");
            // Type=notify: the start job ends only when READY=1 comes from the unit's main process.
            var start = await cluster.Sandbox.ExecAsync("head", [
                "systemd-run", $"--unit={unit}", "--service-type=notify", "-p", "TimeoutStartSec=60",
                "/opt/riverrun/riverrun", "host", "--listen", $"127.0.0.1:{port}", "--http-listen", "none", "--data-dir", $"{data}/data", "--config", $"{data}/host.toml"]);
            Assert.True(start.ExitCode == 0, start.ToString());

            var pid = (await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "show", "-p", "MainPID", "--value", unit)).StandardOutput.Trim();
            var state = await cluster.Sandbox.ExecCheckedAsync("head", "systemctl", "is-active", unit);
            var exe = await cluster.Sandbox.ExecCheckedAsync("head", "readlink", $"/proc/{pid}/exe");
            var commandLine = await cluster.Sandbox.ExecCheckedAsync("head", "sh", "-c", $"tr '\\0' ' ' < /proc/{pid}/cmdline");
            var blocked = await cluster.Sandbox.ExecCheckedAsync("head", "sh", "-c", $"sed -n 's/^SigBlk:\\s*//p' /proc/{pid}/status");
            var list = await cluster.Sandbox.ExecAsync("head", ["/opt/riverrun/riverrun", "list", "--host", $"http://127.0.0.1:{port}"]);

            Assert.Equal("active\n", state.StandardOutput);
            Assert.Equal("/opt/riverrun/riverrun-server\n", exe.StandardOutput);
            Assert.StartsWith($"/opt/riverrun/riverrun host --listen 127.0.0.1:{port} ", commandLine.StandardOutput, StringComparison.Ordinal);
            // The client's runtime leaves no signal blocked behind for the server it became.
            Assert.Equal("0000000000000000\n", blocked.StandardOutput);
            Assert.True(list.ExitCode == 0, list.ToString());

            var stop = await cluster.Sandbox.ExecAsync("head", ["systemctl", "stop", unit]);
            var result = await cluster.Sandbox.ExecAsync("head", ["systemctl", "show", "-p", "Result", "--value", unit]);
            Assert.True(stop.ExitCode == 0 && stop.Duration < TimeSpan.FromSeconds(10), stop.ToString());
            Assert.Equal("success\n", result.StandardOutput);
        }
        finally
        {
            await cluster.Sandbox.ExecAsync("head", ["sh", "-c", $"systemctl stop {unit} 2>/dev/null; systemctl reset-failed {unit} 2>/dev/null; rm -rf {data}"]);
        }
    }
}
