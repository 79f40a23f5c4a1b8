namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The cgroup v2 lane: a sandbox of its own with the Host in head and one Runner in a qemu VM
/// node on the unified hierarchy (`sandbox up --nodes head --v2 v2`). The VM emulates its CPU,
/// so it boots once per test run and every v2 test shares it; its Host port is the cluster
/// port + 5, so it runs beside the nspawn cluster.
/// </summary>
public sealed class V2ClusterFixture : SandboxCluster
{
    /// <summary>The VM node's name.</summary>
    public const string Node = "v2";

    public V2ClusterFixture()
        : base(TestSandboxes.Directory("v2lane"), TestSandboxes.ClusterPort + 5, ["--nodes", "head", "--v2", Node])
    {
    }

    // The VM boots in 20 s on an idle machine, minutes on a busy one; .NET in it starts slowly.
    protected override TimeSpan BootTimeout => TimeSpan.FromMinutes(15);

    public V2ClusterFixture Ready()
    {
        EnsureBooted();
        return this;
    }

    /// <summary>Runs a shell command in the VM node; throws when it fails.</summary>
    public async Task<string> InNodeAsync(string script)
    {
        var result = await Sandbox.ExecAsync(Node, ["sh", "-c", script], TimeSpan.FromMinutes(2));
        return result.ExitCode == 0 ? result.StandardOutput : throw new InvalidOperationException($"in {Node}: {script} failed: {result}");
    }

    /// <summary>The directory of a task's scope in the VM's cgroup v2 hierarchy.</summary>
    public async Task<string> ScopeDirectoryAsync(string taskId) =>
        "/sys/fs/cgroup" + (await InNodeAsync($"systemctl show -p ControlGroup --value riverrun-{taskId}.scope")).Trim();
}

[CollectionDefinition(Name)]
public sealed class V2ClusterTestGroup : ICollectionFixture<V2ClusterFixture>
{
    public const string Name = "cgroup-v2";
}
