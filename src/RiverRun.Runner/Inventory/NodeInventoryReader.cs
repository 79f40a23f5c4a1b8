using System.Globalization;
using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Inventory;

/// <summary>
/// Reads the machine's cores, memory, NUMA nodes and GPUs from /proc and /sys. The root is
/// injectable so tests read a directory of sample files.
/// </summary>
internal sealed class NodeInventoryReader
{
    private readonly string _root;

    public NodeInventoryReader(string root = "/")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = root;
    }

    /// <summary>The machine's hardware; systemd and cgroup versions are the caller's to fill in.</summary>
    public NodeInventory Read(string hostname, int systemdVersion, int cgroupVersion) => new()
    {
        Hostname = hostname,
        LogicalCores = ReadLogicalCores(),
        MemoryBytes = ReadText("proc/meminfo") is { } meminfo ? ProcParsers.ParseMemInfoBytes(meminfo, "MemTotal") ?? 0 : 0,
        NumaNodes = ReadNumaNodes(),
        Gpus = ReadGpus(),
        SystemdVersion = systemdVersion,
        CgroupVersion = cgroupVersion,
    };

    private int ReadLogicalCores() =>
        ReadText("sys/devices/system/cpu/online") is { } online && ProcParsers.CountCpuList(online) is { } count and > 0
            ? count
            : Environment.ProcessorCount;

    private List<NumaNode> ReadNumaNodes()
    {
        var nodes = new List<NumaNode>();
        var directory = Path.Combine(_root, "sys/devices/system/node");
        if (!Directory.Exists(directory))
        {
            return nodes;
        }

        foreach (var nodeDirectory in Directory.EnumerateDirectories(directory, "node*"))
        {
            var name = Path.GetFileName(nodeDirectory);
            if (!int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }

            nodes.Add(new NumaNode
            {
                Index = index,
                Cpus = ReadText(Path.Combine(nodeDirectory, "cpulist"))?.Trim() ?? string.Empty,
                MemoryBytes = ReadText(Path.Combine(nodeDirectory, "meminfo")) is { } meminfo ? ProcParsers.ParseMemInfoBytes(meminfo, "MemTotal") ?? 0 : 0,
            });
        }

        return [.. nodes.OrderBy(n => n.Index)];
    }

    private List<Gpu> ReadGpus()
    {
        var gpus = new List<Gpu>();
        var directory = Path.Combine(_root, "proc/driver/nvidia/gpus");
        if (!Directory.Exists(directory))
        {
            return gpus;
        }

        foreach (var gpuDirectory in Directory.EnumerateDirectories(directory))
        {
            if (ReadText(Path.Combine(gpuDirectory, "information")) is { } information
                && ProcParsers.ParseNvidiaGpuInformation(information) is { } gpu)
            {
                // The driver's proc files do not tell the memory size; 0 means unknown.
                gpus.Add(new Gpu { Index = gpu.Index, Name = gpu.Name, MemoryBytes = 0 });
            }
        }

        return [.. gpus.OrderBy(g => g.Index)];
    }

    private string? ReadText(string relativeOrAbsolute)
    {
        var path = Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : Path.Combine(_root, relativeOrAbsolute);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
