using System.Text.RegularExpressions;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>A Runner configured by files written in a node, as an operator would.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ConfigurationFileTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_Runner_instance_started_with_config_takes_its_name_and_share_from_runner_toml_and_its_own_file()
    {
        var cluster = fixture.Ready();
        const string Unit = "riverrun-config-test";
        // runner.toml names the Host, the node and the memory; runner-cfg.toml gives the instance its cores.
        await cluster.Sandbox.ExecCheckedAsync("node1", "sh", "-c",
            "mkdir -p /etc/riverrun-test && "
            + $"printf 'host = \"{ClusterFixture.HostUrl}\"\\nca = \"{ClusterFixture.NodeCaFile}\"\\nname = \"node1\"\\nmemory = \"256M\"\\n' > /etc/riverrun-test/runner.toml && "
            + "printf '# the instance share\\ncores = 0.5\\n' > /etc/riverrun-test/runner-cfg.toml");
        await cluster.Sandbox.ExecAsync("node1", ["systemctl", "reset-failed", Unit]);
        // The node's runner token (bound to node1, so it covers the instance node1-cfg) comes from the
        // node's 0600 environment file, as for the installed units.
        await cluster.Sandbox.ExecCheckedAsync("node1", "systemd-run", "--quiet", $"--unit={Unit}", "-p", "EnvironmentFile=/etc/riverrun/riverrun.env",
            "/opt/riverrun/riverrun", "runner", "--config", "/etc/riverrun-test/runner.toml", "--instance", "cfg");
        try
        {
            string? line = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (line is null && DateTime.UtcNow < deadline)
            {
                var nodes = await cluster.RiverRunAsync("nodes");
                line = Regex.Match(nodes.StandardOutput, @"^node1-cfg\s+yes.*$", RegexOptions.Multiline) is { Success: true } match ? match.Value : null;
                if (line is null)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(line is not null, "node1-cfg never connected: " + (await cluster.Sandbox.ExecAsync("node1", ["journalctl", "-u", Unit, "-n", "20", "--no-pager"])).StandardOutput);
            Assert.Contains("/0.5", line, StringComparison.Ordinal);
            Assert.Contains("/256M", line, StringComparison.Ordinal);

            var run = await cluster.RiverRunAsync("run", "--target", "node1-cfg", "--cores", "0.5", "--", "sh", "-c", "cat /proc/self/cgroup | grep -o 'riverrun-node1.x2dcfg.slice' | head -1");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("riverrun-node1\\x2dcfg.slice\n", run.StandardOutput);
        }
        finally
        {
            await cluster.Sandbox.ExecAsync("node1", ["systemctl", "stop", Unit]);
            await cluster.Sandbox.ExecAsync("node1", ["rm", "-rf", "/etc/riverrun-test"]);
        }
    }
}
