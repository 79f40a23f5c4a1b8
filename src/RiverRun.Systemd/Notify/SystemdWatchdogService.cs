using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace RiverRun.Systemd.Notify;

/// <summary>
/// Tells systemd, while the service runs under it, what the service is doing (STATUS=), that it
/// is alive (WATCHDOG=1, only while every <see cref="LoopHeartbeat"/> keeps its promise) and that
/// it is stopping (STOPPING=1). Does nothing outside systemd (no NOTIFY_SOCKET).
/// </summary>
/// <remarks>
/// The pings come from this loop, not from the loops they vouch for: a service whose scheduler
/// hangs keeps a healthy thread pool, so a timer alone would keep feeding the watchdog. A stopped
/// process (SIGSTOP) sends nothing either way and is restarted.
/// </remarks>
public sealed partial class SystemdWatchdogService(
    ISystemdNotifier notifier,
    IEnumerable<LoopHeartbeat> loops,
    IServiceStatusSource status,
    TimeProvider clock,
    ILogger<SystemdWatchdogService> logger) : BackgroundService
{
    /// <summary>How often STATUS= is refreshed when there is no watchdog to feed.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    /// <summary>The watchdog interval; null reads it from the environment (WATCHDOG_USEC).</summary>
    public TimeSpan? Watchdog { get; init; } = WatchdogSettings.FromEnvironment();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        // Three chances per interval: a late tick still lands within WatchdogSec.
        var tick = Watchdog is { } watchdog ? Min(watchdog / 3, StatusInterval) : StatusInterval;
        var grace = Watchdog ?? TimeSpan.Zero;
        var lastStatus = string.Empty;
        var reportedDead = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var dead = loops.FirstOrDefault(loop => !loop.IsAlive(grace / 3));
            if (dead is null)
            {
                if (Watchdog is not null)
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }

                reportedDead = false;
            }
            else if (!reportedDead)
            {
                LoopStopped(logger, dead.Name);
                reportedDead = true;
            }

            try
            {
                var line = await status.DescribeAsync(stoppingToken).ConfigureAwait(false);
                if (!string.Equals(line, lastStatus, StringComparison.Ordinal))
                {
                    notifier.Notify(new ServiceState("STATUS=" + line.ReplaceLineEndings(" ")));
                    lastStatus = line;
                }

                await Task.Delay(tick, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // systemctl status shows "deactivating" at once, before the service's own shutdown work.
        notifier.Notify(ServiceState.Stopping);
        return base.StopAsync(cancellationToken);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "The {Loop} loop stopped making progress; no longer feeding systemd's watchdog, which will restart the service")]
    private static partial void LoopStopped(ILogger logger, string loop);
}
