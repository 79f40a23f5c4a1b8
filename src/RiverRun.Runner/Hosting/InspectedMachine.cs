using RiverRun.Runner.Inventory;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>What <see cref="IMachineInspector"/> found.</summary>
/// <param name="Inventory">Hardware, systemd and cgroup versions, as sent with every Register.</param>
/// <param name="CgroupLayout">Where cgroups are mounted; null where they cannot be read (tests).</param>
/// <param name="LaunchLatency">doctor's "launch latency" check for this machine (favordynmods), logged at start when it is a note; null in tests.</param>
internal sealed record InspectedMachine(NodeInventory Inventory, CgroupLayout? CgroupLayout, Doctor.DoctorCheck? LaunchLatency = null);
