namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One bare node ("svc") with the riverrun built by this checkout (src/RiverRun.Cli, Release)
/// deployed at /opt/riverrun: `riverrun init service` runs inside it, against the node's systemd.
/// A sandbox of its own, so installing units cannot disturb the cluster tests' services.
/// </summary>
public sealed class ServiceUnitsFixture : IAsyncLifetime
{
    public const string Node = "svc";

    public Sandbox Sandbox { get; } = new(TestSandboxes.Directory("units"));

    private static string Build => Path.Combine(RepositoryPaths.Root, "src", "RiverRun.Cli", "bin", "Release", "net10.0");

    private string? _bootFailure;

    public async ValueTask InitializeAsync()
    {
        if (SandboxRequirements.WhyUnavailable() is { } reason)
        {
            _bootFailure = $"the sandbox cannot run: {reason}";
            return;
        }

        if (!File.Exists(Path.Combine(Build, "riverrun")))
        {
            _bootFailure = $"no riverrun in {Build}: build the solution in Release first (dotnet build RiverRun.sln -c Release)";
            return;
        }

        await Sandbox.DownAsync();
        var up = await ProcessRunner.RunAsync(
            RepositoryPaths.SandboxScript,
            ["up", "--bare", "--nodes", Node, "--riverrun", Build],
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["RIVERRUN_SANDBOX_DIR"] = Sandbox.StateDirectory });
        if (up.ExitCode != 0)
        {
            _bootFailure = $"sandbox up failed: {up}";
        }
    }

    public Sandbox Ready()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        return _bootFailure is null ? Sandbox : throw new InvalidOperationException(_bootFailure);
    }

    public async ValueTask DisposeAsync()
    {
        if (SandboxRequirements.WhyUnavailable() is null)
        {
            await Sandbox.DownAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceUnitsTestGroup : ICollectionFixture<ServiceUnitsFixture>
{
    public const string Name = "service units";
}
