using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Inventory;

/// <summary>What the machine has, read once at start and sent with every Register.</summary>
internal sealed record NodeInventory
{
    public required string Hostname { get; init; }

    /// <summary>Online logical CPUs.</summary>
    public required int LogicalCores { get; init; }

    /// <summary>MemTotal in bytes.</summary>
    public required long MemoryBytes { get; init; }

    public IReadOnlyList<NumaNode> NumaNodes { get; init; } = [];

    public IReadOnlyList<Gpu> Gpus { get; init; } = [];

    /// <summary>systemd's major version, e.g. 252.</summary>
    public required int SystemdVersion { get; init; }

    /// <summary>1 (legacy or hybrid) or 2 (unified).</summary>
    public required int CgroupVersion { get; init; }
}
