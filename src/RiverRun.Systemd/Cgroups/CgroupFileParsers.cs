using System.Globalization;

namespace RiverRun.Systemd;

/// <summary>Pure parsers for the cgroup files the readers use.</summary>
public static class CgroupFileParsers
{
    /// <summary>
    /// A value from a flat-keyed file ("key value" per line): v2 cpu.stat, memory.events,
    /// v1 memory.oom_control. Null when the key is absent or not a number.
    /// </summary>
    public static long? ReadKeyedValue(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == key)
            {
                return long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    /// <summary>
    /// A single-number file: v1 cpuacct.usage (nanoseconds), memory.usage_in_bytes, v2
    /// memory.current. Null when it is not a number (e.g. "max").
    /// </summary>
    public static long? ReadSingleValue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>CPU time from v2 cpu.stat (usage_usec).</summary>
    public static TimeSpan? ReadCpuStatUsage(string text) =>
        ReadKeyedValue(text, "usage_usec") is { } microseconds ? TimeSpan.FromMicroseconds(microseconds) : null;

    /// <summary>CPU time from v1 cpuacct.usage (nanoseconds).</summary>
    public static TimeSpan? ReadCpuAcctUsage(string text) =>
        ReadSingleValue(text) is { } nanoseconds ? TimeSpan.FromTicks(nanoseconds / 100) : null;

    /// <summary>The process ids in a cgroup.procs file.</summary>
    public static IReadOnlyList<int> ReadProcessIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pids = new List<int>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }
}
