namespace RiverRun.Runner.Inventory;

/// <summary>The machine's aggregate CPU counters from the "cpu" line of /proc/stat, in clock ticks.</summary>
/// <param name="Busy">Ticks spent doing work (everything but idle and iowait).</param>
/// <param name="Total">All ticks.</param>
internal readonly record struct CpuTimes(long Busy, long Total)
{
    /// <summary>
    /// Cores busy between <paramref name="earlier"/> and this sample, for a machine of
    /// <paramref name="logicalCores"/> cores; 0 when no time passed (or the counters went back).
    /// </summary>
    public double CoresBusySince(CpuTimes earlier, int logicalCores)
    {
        var total = Total - earlier.Total;
        var busy = Busy - earlier.Busy;
        if (total <= 0 || busy < 0)
        {
            return 0;
        }

        return Math.Min(1.0, (double)busy / total) * logicalCores;
    }
}
