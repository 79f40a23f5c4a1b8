using System.Threading.Channels;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// Asks the scheduler for a pass. Requests made while a pass is pending coalesce into that one
/// pass, so a burst of events (a batch submit, many tasks ending) costs one pass, not one each.
/// </summary>
public sealed class SchedulerSignal
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Requests a pass soon; never blocks.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    /// <summary>Waits until a pass was requested, consuming the request.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) =>
        await _requests.Reader.ReadAsync(cancellationToken);

    /// <summary>
    /// Waits until a pass was requested (consuming the request: true) or <paramref name="timeout"/>
    /// passed on <paramref name="clock"/> (false).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _requests.Reader.ReadAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
