using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Tests;

public sealed class RunnerStartupTests
{
    private static readonly NodeInventory Machine = new()
    {
        Hostname = "gpu-box.lab",
        LogicalCores = 8,
        MemoryBytes = 16L << 30,
        SystemdVersion = 252,
        CgroupVersion = 2,
    };

    [Fact]
    public void Unset_options_default_to_the_hostname_and_the_whole_machine()
    {
        var profile = RunnerProfile.Resolve(new RunnerOptions(), Machine);

        Assert.Equal(("gpu-box.lab", 8.0, 16L << 30), (profile.Name, profile.Cores, profile.MemoryBytes));
        Assert.Equal("/var/lib/riverrun-runner/gpu-box.lab/tasks", profile.TasksDirectory);
    }

    [Fact]
    public void Asking_for_more_cores_or_memory_than_the_machine_has_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RunnerProfile.Resolve(new RunnerOptions { Cores = 9 }, Machine));
        Assert.Throws<ArgumentException>(() => RunnerProfile.Resolve(new RunnerOptions { MemoryBytes = 17L << 30 }, Machine));
    }

    [Fact]
    public void Each_Runner_instance_gets_its_own_slice_under_riverrun_slice_with_dashes_escaped()
    {
        Assert.Equal("riverrun-node1.slice", RunnerSlice.For("node1"));
        Assert.Equal(@"riverrun-node2\x2da.slice", RunnerSlice.For("node2-a"));
        new Systemd.ScopeRequest
        {
            UnitName = "riverrun-abc",
            Slice = RunnerSlice.For("node2-a"),
            Environment = new Dictionary<string, string>(),
            Argv = ["true"],
            SpoolDirectory = "/tmp/x",
        }.Validate();
    }

    [Fact]
    public async Task Without_systemd_the_Runner_refuses_to_start_and_says_why_and_how_to_fix_it()
    {
        var preflight = new SystemdPreflight(systemdRuntimeDirectory: "/nonexistent/run/systemd/system", isRoot: () => true);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => preflight.CheckAsync(CancellationToken.None));

        Assert.Contains("/nonexistent/run/systemd/system does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PID 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Runner_that_is_not_root_refuses_to_start_and_says_how_to_run_it()
    {
        using var temp = new TempDirectory();
        var preflight = new SystemdPreflight(systemdRuntimeDirectory: temp.Path, isRoot: () => false);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => preflight.CheckAsync(CancellationToken.None));

        Assert.Contains("must run as root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entry_point_returns_non_zero_on_this_machine_without_systemd_and_2_for_bad_options()
    {
        var bad = await RunnerApplication.RunAsync(new RunnerOptions { Cores = -1 }, CancellationToken.None);
        var noSystemd = Directory.Exists("/run/systemd/system")
            ? RunnerApplication.CannotStartExitCode
            : await RunnerApplication.RunAsync(new RunnerOptions(), CancellationToken.None);

        Assert.Equal(RunnerApplication.InvalidOptionsExitCode, bad);
        Assert.Equal(RunnerApplication.CannotStartExitCode, noSystemd);
    }
}
