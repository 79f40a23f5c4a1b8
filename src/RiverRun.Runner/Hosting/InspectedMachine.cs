using RiverRun.Runner.Inventory;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>What <see cref="IMachineInspector"/> found.</summary>
/// <param name="Inventory">Hardware, systemd and cgroup versions, as sent with every Register.</param>
/// <param name="CgroupLayout">Where cgroups are mounted; null where they cannot be read (tests).</param>
internal sealed record InspectedMachine(NodeInventory Inventory, CgroupLayout? CgroupLayout);
