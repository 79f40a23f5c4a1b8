using System.Globalization;

namespace RiverRun.Systemd.Notify;

/// <summary>
/// The watchdog systemd asked for: <c>WATCHDOG_USEC</c> (from the unit's <c>WatchdogSec=</c>)
/// and <c>WATCHDOG_PID</c> (the process it is meant for, when set), per sd_watchdog_enabled(3).
/// </summary>
public static class WatchdogSettings
{
    /// <summary>
    /// The interval within which systemd expects WATCHDOG=1, or null when no watchdog is asked
    /// of this process (no or unusable WATCHDOG_USEC, or a WATCHDOG_PID of another process).
    /// </summary>
    public static TimeSpan? Parse(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (string.IsNullOrEmpty(watchdogUsec)
            || !long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec)
            || usec <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>The watchdog asked of this process, from its environment.</summary>
    public static TimeSpan? FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
}
