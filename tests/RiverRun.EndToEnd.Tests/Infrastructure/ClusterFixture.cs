namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A running RiverRun cluster in the sandbox: `sandbox up` builds RiverRun, starts the Host in
/// head and Runners in node1 and node2 (2 cores each), and runs a first task. The tests drive
/// the real `riverrun` executable from the machine, as a user would.
/// </summary>
public sealed class ClusterFixture : SandboxCluster
{
    public ClusterFixture()
        : base(TestSandboxes.Directory("e2e"), Port, ["--nodes", "head,node1,node2"])
    {
    }

    public static int Port => TestSandboxes.ClusterPort;

    public static string HostUrl => $"https://127.0.0.1:{Port}";

    /// <summary>Where `sandbox up` puts the CA certificate on every Runner node (clients on the nodes pass it as --ca).</summary>
    public const string NodeCaFile = "/etc/riverrun/tls/ca.crt";

    public ClusterFixture Ready()
    {
        EnsureBooted();
        return this;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterTestGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
