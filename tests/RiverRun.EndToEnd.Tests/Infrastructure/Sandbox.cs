namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Drives deploy/sandbox/sandbox for one sandbox state directory. Tests use directories of
/// their own, so they never touch a sandbox a developer has running.
/// </summary>
public sealed class Sandbox(string stateDirectory)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public string StateDirectory { get; } = stateDirectory;

    public Task<ProcessResult> UpAsync(params string[] nodes) =>
        RunScriptAsync(["up", "--bare", "--nodes", string.Join(',', nodes)], CommandTimeout);

    public Task<ProcessResult> DownAsync() => RunScriptAsync(["down"], CommandTimeout);

    public Task<ProcessResult> StatusAsync() => RunScriptAsync(["status"], CommandTimeout);

    /// <summary>Runs a command inside a node (argv, no shell) and returns its outcome.</summary>
    public Task<ProcessResult> ExecAsync(string node, IEnumerable<string> command, TimeSpan? timeout = null) =>
        RunScriptAsync(["exec", node, "--", .. command], timeout ?? TimeSpan.FromMinutes(1));

    public async Task<ProcessResult> ExecCheckedAsync(string node, params string[] command)
    {
        var result = await ExecAsync(node, command);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"in {node}: {string.Join(' ', command)} failed: {result}");
        }

        return result;
    }

    private Task<ProcessResult> RunScriptAsync(IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(
            RepositoryPaths.SandboxScript,
            arguments,
            timeout,
            new Dictionary<string, string> { ["RIVERRUN_SANDBOX_DIR"] = StateDirectory });
}
