namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One sandbox (head, node1, node2) shared by the tests of the "sandbox" collection: booted once,
/// removed when they are done.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public Sandbox Sandbox { get; } = new(TestSandboxes.Directory("tests"));

    private string? _bootFailure;

    public async ValueTask InitializeAsync()
    {
        if (SandboxRequirements.WhyUnavailable() is { } reason)
        {
            // Tests only run here when the sandbox is required; each then fails with this reason.
            _bootFailure = $"the sandbox cannot run: {reason}";
            return;
        }

        // From nothing: what an earlier, interrupted run left (nodes, a Host database with its
        // tasks) must not change what these tests see.
        await Sandbox.DownAsync();
        var result = await Sandbox.UpAsync("head", "node1", "node2");
        if (result.ExitCode != 0)
        {
            _bootFailure = $"sandbox up failed: {result}";
        }
    }

    /// <summary>The sandbox, or a failure explaining why it did not come up.</summary>
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
public sealed class SandboxTestGroup : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
