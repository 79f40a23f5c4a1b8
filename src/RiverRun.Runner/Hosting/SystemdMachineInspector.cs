using RiverRun.Runner.Doctor;
using RiverRun.Runner.Inventory;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>
/// The real machine: the preflight first (systemd as PID 1, root, a working systemd-run), whose
/// systemd version and the cgroup layout then complete the inventory of /proc and /sys.
/// </summary>
internal sealed class SystemdMachineInspector(SystemdPreflight preflight, NodeInventoryReader inventoryReader) : IMachineInspector
{
    public async Task<InspectedMachine> InspectAsync(CancellationToken cancellationToken)
    {
        var systemdVersion = await preflight.CheckAsync(cancellationToken).ConfigureAwait(false);
        var layout = CgroupLayout.Detect();
        var inventory = inventoryReader.Read(
            Environment.MachineName,
            systemdVersion,
            layout.Version == CgroupVersion.Unified ? 2 : 1);
        return new InspectedMachine(inventory, layout, DoctorChecks.LaunchLatency(NodeProbe.ReadCgroupMounts(), NodeProbe.ReadKernelCgroupFeatures()));
    }
}
