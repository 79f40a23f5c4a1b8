using RiverRun.Contracts.V1;
using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Connection;

/// <summary>Builds the Register message: who this Runner is, what it offers, what it holds.</summary>
internal static class RegistrationBuilder
{
    public static Register Build(RunnerProfile profile, NodeInventory inventory, IEnumerable<HeldTask> heldTasks)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(heldTasks);
        var register = new Register
        {
            Name = profile.Name,
            Capacity = new Contracts.V1.Resources { Cores = profile.Cores, MemoryBytes = profile.MemoryBytes },
            Version = profile.Version,
            Hostname = inventory.Hostname,
            SystemdVersion = inventory.SystemdVersion,
            CgroupVersion = inventory.CgroupVersion,
        };
        register.NumaNodes.AddRange(inventory.NumaNodes.Select(n => n.Clone()));
        register.Gpus.AddRange(inventory.Gpus.Select(g => g.Clone()));
        register.HeldTasks.AddRange(heldTasks);
        return register;
    }
}
