using System.Globalization;
using System.Text.RegularExpressions;

namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A RiverRun cluster in a sandbox of its own, booted once for the tests that share it:
/// `sandbox up` builds RiverRun, starts the Host in head and a Runner (2 cores) in every other
/// node, and runs a first task. The tests drive the real `riverrun` executable from the
/// machine, as a user would.
/// </summary>
public abstract partial class SandboxCluster : IAsyncLifetime
{
    private readonly IReadOnlyList<string> _nodeArguments;
    private string? _bootFailure;

    /// <param name="stateDirectory">The sandbox's own state directory.</param>
    /// <param name="port">The Host's port.</param>
    /// <param name="nodeArguments">The `up` arguments naming the nodes, e.g. --nodes head,node1.</param>
    protected SandboxCluster(string stateDirectory, int port, IReadOnlyList<string> nodeArguments)
    {
        Sandbox = new Sandbox(stateDirectory);
        HostPort = port;
        _nodeArguments = nodeArguments;
    }

    public Sandbox Sandbox { get; }

    public int HostPort { get; }

    public string RiverRunExecutable => Path.Combine(Sandbox.StateDirectory, "riverrun", "riverrun");

    /// <summary>The Host's gRPC address as clients write it: TLS is on in every sandbox cluster.</summary>
    public string HostAddress => $"https://127.0.0.1:{HostPort}";

    /// <summary>The CA certificate `sandbox up` keeps for clients on the machine (STATE/tls/ca.crt).</summary>
    public string CaFile => Path.Combine(Sandbox.StateDirectory, "tls", "ca.crt");

    /// <summary>
    /// The admin token `sandbox up` made with `riverrun init token` and keeps in
    /// STATE/admin.token (0600): tokens are on in every sandbox cluster.
    /// </summary>
    public string AdminToken
    {
        get
        {
            var path = Path.Combine(Sandbox.StateDirectory, "admin.token");
            return File.Exists(path)
                ? File.ReadAllText(path).Trim()
                : throw new InvalidOperationException($"{path} is missing: `sandbox up` did not turn tokens on");
        }
    }

    /// <summary>What a client on the machine needs: the Host's address, the CA and the admin token.</summary>
    public IReadOnlyDictionary<string, string> Environment => EnvironmentWith(AdminToken);

    /// <summary>The client environment with <paramref name="token"/> as RIVERRUN_TOKEN (none when null).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentWith(string? token)
    {
        var environment = new Dictionary<string, string> { ["RIVERRUN_HOST"] = HostAddress, ["RIVERRUN_CA"] = CaFile };
        if (token is not null)
        {
            environment["RIVERRUN_TOKEN"] = token;
        }

        return environment;
    }

    /// <summary>Runs `riverrun ARGS` with <paramref name="token"/> (none when null) instead of the admin's.</summary>
    public Task<ProcessResult> RiverRunAsAsync(string? token, params string[] arguments) =>
        ProcessRunner.RunAsync(RiverRunExecutable, arguments, TimeSpan.FromMinutes(3), EnvironmentWith(token));

    // Per test process: a build from an earlier run may be of other sources.
    private static readonly string SharedBuild = Path.Combine(RepositoryPaths.Root, "artifacts", $"e2e-riverrun-{System.Environment.ProcessId}");

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target, overwrite: true);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    /// <summary>How long `sandbox up` may take.</summary>
    protected virtual TimeSpan BootTimeout => TimeSpan.FromMinutes(10);

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
        // The first cluster of a test run builds RiverRun (NativeAOT: minutes); the later ones
        // deploy a copy of that build instead of compiling the same sources again.
        // RIVERRUN_E2E_BUILD names a published build to deploy instead (a NativeAOT publish takes
        // many minutes on a busy machine; re-running a few tests need not repeat it).
        string[] build = Directory.Exists(SharedBuild) ? ["--riverrun", SharedBuild]
            : System.Environment.GetEnvironmentVariable("RIVERRUN_E2E_BUILD") is { Length: > 0 } prebuilt ? ["--riverrun", prebuilt]
            : [];
        var up = await ProcessRunner.RunAsync(
            RepositoryPaths.SandboxScript,
            ["up", .. _nodeArguments, "--port", HostPort.ToString(CultureInfo.InvariantCulture), "--runner-cores", "2", .. build],
            BootTimeout,
            new Dictionary<string, string> { ["RIVERRUN_SANDBOX_DIR"] = Sandbox.StateDirectory });
        if (up.ExitCode != 0)
        {
            _bootFailure = $"sandbox up failed: {up}";
        }
        else if (build.Length == 0 && OperatingSystem.IsLinux())
        {
            CopyDirectory(Path.Combine(Sandbox.StateDirectory, "riverrun"), SharedBuild);
        }
    }

    /// <summary>Skips or fails the calling test as <see cref="SandboxRequirements"/> says; throws when the boot failed.</summary>
    protected void EnsureBooted()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        if (_bootFailure is not null)
        {
            throw new InvalidOperationException(_bootFailure);
        }
    }

    /// <summary>Runs `riverrun ARGS` from the machine against the sandbox's Host.</summary>
    public Task<ProcessResult> RiverRunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RiverRunExecutable, arguments, TimeSpan.FromMinutes(3), Environment);

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

            await Task.Delay(250);
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

        GC.SuppressFinalize(this);
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z -]*):\s(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex KeyValueLine();
}
