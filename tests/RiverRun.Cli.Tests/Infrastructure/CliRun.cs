using System.Text;
using RiverRun.Cli.Streaming;

namespace RiverRun.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>riverrun</c> pipeline in-process (<see cref="CliApp.RunAsync"/>) with captured
/// stdout and stderr, an environment of the test's choosing and fast reconnects.
/// </summary>
internal sealed class CliRun
{
    /// <summary>Generous bound for anything that should finish, so a failure fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, string> _environment = [];

    public CliRun(Stream? standardOutput = null, bool errorIsTerminal = false, ReconnectPolicy? reconnect = null)
    {
        StandardOutput = standardOutput ?? new CapturingStream();
        Context = new CliContext(StandardOutput, StandardError)
        {
            GetEnvironmentVariable = name => _environment.TryGetValue(name, out var value) ? value : null,
            Reconnect = reconnect ?? new ReconnectPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20)),
            TimeZone = TimeZoneInfo.Utc,
            IsErrorTerminal = errorIsTerminal,
        };
    }

    public Stream StandardOutput { get; }

    public CapturingStream StandardError { get; } = new();

    public CliContext Context { get; }

    public byte[] StdoutBytes => ((CapturingStream)StandardOutput).ToArray();

    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public byte[] StderrBytes => StandardError.ToArray();

    public string Stderr => Encoding.UTF8.GetString(StderrBytes);

    /// <summary>Sets a variable of the environment riverrun sees (it sees nothing of the real one).</summary>
    public void SetEnvironment(string name, string value) => _environment[name] = value;

    /// <summary>Runs riverrun with these arguments.</summary>
    public Task<int> RunAsync(params string[] args) => CliApp.RunAsync(args, Context).WaitAsync(Patience);

    /// <summary>Runs riverrun against <paramref name="host"/> (via RIVERRUN_HOST, as a user would).</summary>
    public Task<int> RunAsync(FakeHost host, params string[] args)
    {
        SetEnvironment(HostConnection.HostVariable, host.Address);
        return RunAsync(args);
    }
}
