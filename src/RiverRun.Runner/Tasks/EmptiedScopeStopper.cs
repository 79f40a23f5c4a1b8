using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// Stops scope units whose processes have all exited, several per systemctl call, off the task's
/// path. Needed because on cgroup v1 inside a container systemd never learns that a scope became
/// empty and keeps the unit "active"; elsewhere systemd has usually collected it already and the
/// stop finds nothing to do. A task's end is recorded and sent before this runs, so a burst of
/// tasks ending costs a few systemctl processes in the background, not two on each task's path.
/// Tasks that end one after another (a queue draining) would still make a call each, so the
/// first unit of a batch waits <see cref="GatherFor"/> for others: 200 short tasks drained on
/// one node took 200 systemctl processes, about 0.8 s of CPU, and now take a handful.
/// </summary>
internal sealed class EmptiedScopeStopper : IAsyncDisposable
{
    // One command line's worth: systemctl takes many units, but not without bound.
    private const int MaxUnitsPerCall = 64;

    /// <summary>How long the first unit of a batch waits for more; nobody waits for the stop itself.</summary>
    public static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(250);

    private readonly Systemctl _systemctl;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<string> _units = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public EmptiedScopeStopper(Systemctl systemctl, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(systemctl);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _systemctl = systemctl;
        _time = time;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues the stop of <paramref name="unit"/> (a scope without processes); returns at once.</summary>
    public void Stop(string unit) => _units.Writer.TryWrite(unit);

    public async ValueTask DisposeAsync()
    {
        // What is still queued stays loaded but empty; a Runner restart leaves it the same way.
        _units.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while a call ran.
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<string>(MaxUnitsPerCall);
        while (await _units.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
        {
            batch.Clear();
            await Task.Delay(GatherFor, _time, _stopping.Token).ConfigureAwait(false);
            while (batch.Count < MaxUnitsPerCall && _units.Reader.TryRead(out var unit))
            {
                batch.Add(unit);
            }

            try
            {
                await _systemctl.StopManyAsync(batch, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SystemctlException or CommandStartException)
            {
                // Usually a unit systemd had collected already: nothing was left to stop.
                RunnerLog.EmptiedScopesNotStopped(_logger, batch.Count, ex.Message);
            }
        }
    }
}
