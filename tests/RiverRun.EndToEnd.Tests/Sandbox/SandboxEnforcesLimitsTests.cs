using System.Globalization;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Sandbox;

/// <summary>Proves the sandbox's nodes are real systemd with enforced cgroup limits.</summary>
[Collection(SandboxTestGroup.Name)]
public sealed class SandboxEnforcesLimitsTests(SandboxFixture fixture)
{
    [Fact]
    public async Task A_busy_loop_under_CPUQuota_20_percent_gets_between_10_and_35_percent_of_a_cpu()
    {
        var sandbox = fixture.Ready();

        // Inside the scope: wall time from the clock around a 3 s busy loop, CPU time of that loop
        // from the kernel's accounting of the child (bash's `times`, second line: children).
        var result = await sandbox.ExecCheckedAsync("node1",
            "systemd-run", "--scope", "--quiet", "-p", "CPUQuota=20%", "--",
            "bash", "-c",
            "start=$(date +%s%N); timeout 3 bash -c 'while :; do :; done'; end=$(date +%s%N); " +
            "echo wall_ns=$((end-start)); times");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wallSeconds = long.Parse(lines[0]["wall_ns=".Length..], CultureInfo.InvariantCulture) / 1e9;
        var childTimes = lines[^1].Split(' ');
        var cpuSeconds = BashTimes.Parse(childTimes[0]) + BashTimes.Parse(childTimes[1]);
        var share = cpuSeconds / wallSeconds;

        Assert.InRange(wallSeconds, 2.9, 10);
        Assert.True(share is >= 0.10 and <= 0.35,
            $"CPU share {share:P0} ({cpuSeconds:F2}s CPU over {wallSeconds:F2}s wall) is outside 10-35%");
    }

    [Fact]
    public void After_up_the_machines_cgroup2_mount_favors_dynamic_modifications_where_the_kernel_offers_it()
    {
        fixture.Ready();
        var offered = File.Exists("/sys/kernel/cgroup/features") && File.ReadAllLines("/sys/kernel/cgroup/features").Contains("favordynmods");
        // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
        var cgroup2 = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Select(fields => (Fields: fields, Separator: Array.IndexOf(fields, "-")))
            .Where(m => m.Separator > 0 && m.Fields.Length > m.Separator + 3 && m.Fields[m.Separator + 1] == "cgroup2")
            .Select(m => (MountPoint: m.Fields[4], SuperOptions: m.Fields[m.Separator + 3].Split(',')))
            .FirstOrDefault();

        // Without favordynmods each task's move into its scope waits for an RCU grace period after a
        // quiet moment (docs/architecture.md, "systemd facts"); sandbox up remounts cgroup2 with it.
        Assert.True(offered && cgroup2.MountPoint is not null,
            "the machine's kernel offers favordynmods (Linux 6.0+) and mounts cgroup2, as the sandbox's machines do; on an older kernel launches never waited and this test does not apply");
        Assert.True(cgroup2.SuperOptions.Contains("favordynmods"), $"cgroup2 at {cgroup2.MountPoint} lacks favordynmods after sandbox up: {string.Join(',', cgroup2.SuperOptions)}");
    }

    [Fact]
    public async Task A_process_over_MemoryMax_50M_is_killed_with_status_137_within_seconds()
    {
        var sandbox = fixture.Ready();

        var result = await sandbox.ExecAsync("node1",
            ["systemd-run", "--scope", "--quiet", "-p", "MemoryMax=50M", "-p", "MemorySwapMax=0", "--",
             "sh", "-c", "tail /dev/zero"],
            TimeSpan.FromSeconds(60));

        Assert.Equal(137, result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(30), $"took {result.Duration}");
    }

    [Fact]
    public async Task A_scope_started_in_node1_is_not_visible_in_node2()
    {
        var sandbox = fixture.Ready();
        var unit = $"rr-isolation-{Guid.NewGuid():N}"[..24];

        // A transient service, so it outlives the exec that started it.
        await sandbox.ExecCheckedAsync("node1", "systemd-run", "--quiet", $"--unit={unit}", "sleep", "120");
        try
        {
            var inNode1 = await sandbox.ExecAsync("node1", ["systemctl", "is-active", $"{unit}.service"]);
            var inNode2 = await sandbox.ExecAsync("node2",
                ["systemctl", "list-units", "--all", "--plain", "--no-legend", $"{unit}*"]);

            Assert.Equal("active", inNode1.StandardOutput.Trim());
            Assert.Equal(0, inNode2.ExitCode);
            Assert.Equal(string.Empty, inNode2.StandardOutput.Trim());
        }
        finally
        {
            await sandbox.ExecAsync("node1", ["systemctl", "stop", $"{unit}.service"]);
        }
    }
}
