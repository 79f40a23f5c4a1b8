using System.Globalization;

namespace RiverRun.Runner.Inventory;

/// <summary>Pure parsers for the /proc and /sys files the inventory and usage come from.</summary>
internal static class ProcParsers
{
    /// <summary>The one-minute load average from /proc/loadavg ("0.52 0.58 0.59 1/467 12345").</summary>
    public static double? ParseLoadAverage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>A "Key:   123 kB" value of /proc/meminfo (or a NUMA node's meminfo) in bytes.</summary>
    public static long? ParseMemInfoBytes(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var line in text.Split('\n'))
        {
            // A NUMA node's meminfo prefixes each line with "Node 0 ".
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (!name.Equals(key, StringComparison.Ordinal) && !name.EndsWith(" " + key, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            return fields.Length > 1 && fields[1].Equals("kB", StringComparison.OrdinalIgnoreCase) ? value * 1024 : value;
        }

        return null;
    }

    /// <summary>Memory in use: MemTotal minus MemAvailable (what the kernel could hand out without swapping).</summary>
    public static long? ParseMemoryUsed(string meminfo) =>
        ParseMemInfoBytes(meminfo, "MemTotal") is { } total && ParseMemInfoBytes(meminfo, "MemAvailable") is { } available
            ? Math.Max(0, total - available)
            : null;

    /// <summary>The aggregate "cpu" line of /proc/stat.</summary>
    public static CpuTimes? ParseCpuTimes(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        foreach (var line in stat.Split('\n'))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[0] != "cpu")
            {
                continue;
            }

            // user nice system idle iowait irq softirq steal; guest and guest_nice are already
            // counted in user and nice, so adding them would count that time twice.
            var values = new long[8];
            for (var i = 0; i < values.Length && i + 1 < fields.Length; i++)
            {
                if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                {
                    return null;
                }
            }

            var total = values.Sum();
            var idle = values[3] + values[4];
            return new CpuTimes(total - idle, total);
        }

        return null;
    }

    /// <summary>How many CPUs a cpuset list names ("0-3,8-11" → 8); null when it is not such a list.</summary>
    public static int? CountCpuList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var trimmed = list.Trim();
        if (trimmed.Length == 0)
        {
            return 0;
        }

        var count = 0;
        foreach (var part in trimmed.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2
                || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                return null;
            }

            var last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first))
            {
                return null;
            }

            count += last - first + 1;
        }

        return count;
    }

    /// <summary>
    /// A GPU from /proc/driver/nvidia/gpus/&lt;bus id&gt;/information ("Model: ...", "Device Minor: 0").
    /// The driver's minor number is the index nvidia-smi and CUDA_VISIBLE_DEVICES use.
    /// </summary>
    public static (int Index, string Name)? ParseNvidiaGpuInformation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? model = null;
        int? minor = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "Model")
            {
                model = value;
            }
            else if (key == "Device Minor" && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                minor = parsed;
            }
        }

        return minor is { } index ? (index, model ?? "NVIDIA GPU") : null;
    }
}
