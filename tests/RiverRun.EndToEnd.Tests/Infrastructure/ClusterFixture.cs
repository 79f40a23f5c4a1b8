using System.Text.RegularExpressions;

namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A running RiverRun cluster in the sandbox: `sandbox up` builds RiverRun, starts the Host in
/// head and Runners in node1 and node2 (2 cores each), and runs a first task. The tests drive
/// the real `riverrun` executable from the machine, as a user would.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public static int Port => TestSandboxes.ClusterPort;

    public Sandbox Sandbox { get; } = new(TestSandboxes.Directory("e2e"));

    public static string HostUrl => $"http://127.0.0.1:{Port}";

    public string RiverRunExecutable => Path.Combine(Sandbox.StateDirectory, "riverrun", "riverrun");

    public static IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["RIVERRUN_HOST"] = HostUrl,
    };

    private string? _bootFailure;

    public async ValueTask InitializeAsync()
    {
        if (SandboxRequirements.WhyUnavailable() is { } reason)
        {
            _bootFailure = $"the sandbox cannot run: {reason}";
            return;
        }

        // From nothing: what an earlier, interrupted run left (nodes, a Host database with its
        // tasks) must not change what these tests see.
        await Sandbox.DownAsync();
        var up = await ProcessRunner.RunAsync(
            RepositoryPaths.SandboxScript,
            ["up", "--nodes", "head,node1,node2", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--runner-cores", "2"],
            TimeSpan.FromMinutes(10),
            new Dictionary<string, string> { ["RIVERRUN_SANDBOX_DIR"] = Sandbox.StateDirectory });
        if (up.ExitCode != 0)
        {
            _bootFailure = $"sandbox up failed: {up}";
        }
    }

    public ClusterFixture Ready()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        return _bootFailure is null ? this : throw new InvalidOperationException(_bootFailure);
    }

    /// <summary>Runs `riverrun ARGS` from the machine against the sandbox's Host.</summary>
    public Task<ProcessResult> RiverRunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RiverRunExecutable, arguments, TimeSpan.FromMinutes(3), ClientEnvironment);

    /// <summary>`riverrun submit …`, returning the task ids it printed.</summary>
    public async Task<IReadOnlyList<string>> SubmitAsync(params string[] arguments)
    {
        var result = await RiverRunAsync(["submit", .. arguments]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"submit failed: {result}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>`riverrun status ID` as its Key: value pairs.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StatusAsync(string taskId)
    {
        var result = await RiverRunAsync("status", taskId);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"status {taskId} failed: {result}");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in KeyValueLine().Matches(result.StandardOutput))
        {
            fields[match.Groups["key"].Value] = match.Groups["value"].Value.Trim();
        }

        return fields;
    }

    /// <summary>Polls status until the task's state is one of <paramref name="states"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForStateAsync(string taskId, TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyDictionary<string, string> status;
        do
        {
            status = await StatusAsync(taskId);
            if (states.Contains(status["State"]))
            {
                return status;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException(
            $"task {taskId} did not reach {string.Join('|', states)} within {timeout}; last status: {string.Join(", ", status)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (SandboxRequirements.WhyUnavailable() is null)
        {
            await Sandbox.DownAsync();
        }
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z -]*):\s(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex KeyValueLine();
}

[CollectionDefinition(Name)]
public sealed class ClusterTestGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
