using System.Globalization;

namespace RiverRun.Bench;

/// <summary>A process's CPU time and RSS read from /proc at one moment.</summary>
internal sealed record ProcessSample(TimeSpan CpuTime, long RssBytes, DateTimeOffset At)
{
    // /proc reports times in USER_HZ, which Linux fixes at 100 for user space.
    private const double TicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) are at 11 and 12 once the first two are cut off.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return new ProcessSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, DateTimeOffset.UtcNow);
    }

    /// <summary>CPU used between <paramref name="earlier"/> and this sample, in % of one core.</summary>
    public double CpuPercentSince(ProcessSample earlier) =>
        100 * (CpuTime - earlier.CpuTime).TotalSeconds / (At - earlier.At).TotalSeconds;
}
