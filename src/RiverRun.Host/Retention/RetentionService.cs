using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiverRun.Core;

namespace RiverRun.Host.Retention;

/// <summary>
/// Runs a <see cref="RetentionSweep"/> when the Host starts and every <see cref="Interval"/> after,
/// so the database and the output folder stay bounded over months of use.
/// </summary>
/// <remarks>
/// Hourly is often enough for limits counted in days and gigabytes, and rare enough that a sweep's
/// database pages never matter to submits. The timer runs on the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class RetentionService(RetentionSweep sweep, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>Time between sweeps.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await sweep.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed sweep (a full disk, a busy file) is retried at the next tick; the Host keeps serving.
                RetentionLog.SweepFailed(logger, DurationParser.Format(Interval), exception);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
