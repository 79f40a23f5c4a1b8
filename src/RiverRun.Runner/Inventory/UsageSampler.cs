using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Inventory;

/// <summary>
/// The node's current usage for heartbeats: load from /proc/loadavg, memory from /proc/meminfo,
/// CPU from the change of /proc/stat since the previous sample.
/// </summary>
internal sealed class UsageSampler
{
    private readonly string _root;
    private readonly int _logicalCores;
    private readonly Lock _gate = new();
    private CpuTimes? _previous;

    public UsageSampler(int logicalCores, string root = "/")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = root;
        _logicalCores = logicalCores;
        // A first sample now, so the first heartbeat already reports a delta.
        _previous = ReadCpuTimes();
    }

    public NodeUsage Sample()
    {
        var usage = new NodeUsage();
        if (Read("proc/loadavg") is { } loadavg && ProcParsers.ParseLoadAverage(loadavg) is { } load)
        {
            usage.LoadAverage1M = load;
        }

        if (Read("proc/meminfo") is { } meminfo && ProcParsers.ParseMemoryUsed(meminfo) is { } used)
        {
            usage.MemoryUsedBytes = used;
        }

        var current = ReadCpuTimes();
        lock (_gate)
        {
            if (current is { } now && _previous is { } before)
            {
                usage.CpuCoresBusy = now.CoresBusySince(before, _logicalCores);
            }

            _previous = current ?? _previous;
        }

        return usage;
    }

    private CpuTimes? ReadCpuTimes() => Read("proc/stat") is { } stat ? ProcParsers.ParseCpuTimes(stat) : null;

    private string? Read(string relative)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_root, relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
