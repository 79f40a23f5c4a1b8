using RiverRun.Runner.Doctor;
using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Tests;

/// <summary>A machine that passes the preflight and has what the test says, without systemd or cgroups.</summary>
internal sealed class FixedMachine(NodeInventory inventory, DoctorCheck? launchLatency = null) : IMachineInspector
{
    public Task<InspectedMachine> InspectAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new InspectedMachine(inventory, CgroupLayout: null, launchLatency));
}
