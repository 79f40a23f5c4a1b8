using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// Standard gRPC tooling works against the Host: gRPC's own Python implementation (grpcio, on
/// C-core), with messages generated from protos/ at test time, checks health, reflection, and
/// runs a task on node1 whose output it reads byte for byte, sending the admin token as call
/// metadata (and is refused without it).
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class PythonGrpcInteropTests(ClusterFixture fixture)
{
    private static string Script => Path.Combine(RepositoryPaths.Root, "tests", "RiverRun.EndToEnd.Tests", "Interop", "grpc_interop.py");

    [Fact]
    public async Task A_python_grpcio_client_checks_health_reads_reflection_and_runs_a_task_byte_for_byte()
    {
        var cluster = fixture.Ready();

        // Debian's python3-grpcio and protoc (tests/run installs them); not a pyenv python on PATH.
        var result = await ProcessRunner.RunAsync(
            "/usr/bin/python3",
            [Script, $"127.0.0.1:{ClusterFixture.Port}", "node1", RepositoryPaths.Root],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["RIVERRUN_TOKEN"] = cluster.AdminToken, ["RIVERRUN_CA"] = cluster.CaFile });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok   Health/Check answers SERVING", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   reflection lists riverrun.v1.Tasks", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   Submit without the token is refused UNAUTHENTICATED", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   stdout arrived byte for byte (1048576 bytes)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   stderr arrived byte for byte", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("all checks passed\n", result.StandardOutput, StringComparison.Ordinal);
    }
}
