using Microsoft.Extensions.Hosting.Systemd;
using RiverRun.Systemd.Notify;

namespace RiverRun.Runner;

/// <summary>
/// The Runner as systemd sees it: READY=1 once it has registered with the Host for the first
/// time (so `systemctl start riverrun-runner` returns when the Host lists the node as
/// connected), a STATUS= line saying where its connection stands, and the heartbeat of its
/// connection loop that feeds the watchdog.
/// </summary>
public sealed class RunnerServiceState(ISystemdNotifier notifier, TimeProvider clock) : IServiceStatusSource
{
    private string _status = "starting";
    private int _ready;

    /// <summary>Beaten by the connection loop (each attempt, each wait, each heartbeat sent).</summary>
    public LoopHeartbeat ConnectionLoop { get; } = new("Host connection", clock);

    /// <summary>A connection attempt begins.</summary>
    public void Connecting(Uri host, int attempt) =>
        Tell(attempt <= 1 ? $"connecting to {host}" : $"connecting to {host} (attempt {attempt})");

    /// <summary>The Host accepted the registration: the Runner is ready (once) and connected.</summary>
    public void Registered(Uri host, string name, int heldTasks)
    {
        Tell($"registered with {host} as {name}; {heldTasks} task(s) held at registration");
        if (Interlocked.Exchange(ref _ready, 1) == 0)
        {
            notifier.Notify(ServiceState.Ready);
        }
    }

    /// <summary>The connection ended; the loop waits <paramref name="delay"/> before the next attempt.</summary>
    public void Disconnected(Uri host, string reason, TimeSpan delay) =>
        Tell($"disconnected from {host} ({reason}); reconnecting in {delay.TotalSeconds:0.#} s");

    // At once, not at the watchdog's next tick: a change of connection is what an operator looks for.
    private void Tell(string status)
    {
        _status = status;
        notifier.Notify(new ServiceState("STATUS=" + status.ReplaceLineEndings(" ")));
    }

    /// <inheritdoc />
    public ValueTask<string> DescribeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_status);
}
