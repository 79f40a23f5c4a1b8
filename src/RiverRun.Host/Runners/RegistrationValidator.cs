using System.Globalization;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>Checks a Runner's Register message; a bad one ends the stream with InvalidArgument naming the field.</summary>
public static class RegistrationValidator
{
    /// <summary>The node record for a valid registration; throws <see cref="RpcException"/> (InvalidArgument) otherwise.</summary>
    public static NodeRecord Validate(V1.Register register, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(register);
        var problems = new List<string>();
        if (NodeName.Validate(register.Name) is { } nameError)
        {
            problems.Add($"register.name: {nameError}");
        }

        var capacity = register.Capacity;
        if (capacity is null)
        {
            problems.Add("register.capacity: is missing; a Runner must offer some cores and memory");
        }
        else
        {
            if (!double.IsFinite(capacity.Cores) || capacity.Cores <= 0)
            {
                problems.Add($"register.capacity.cores: {capacity.Cores.ToString(CultureInfo.InvariantCulture)} must be a number greater than 0");
            }

            if (capacity.MemoryBytes <= 0)
            {
                problems.Add($"register.capacity.memory_bytes: {capacity.MemoryBytes.ToString(CultureInfo.InvariantCulture)} must be greater than 0");
            }
        }

        if (problems.Count > 0)
        {
            throw RpcErrors.InvalidArgument("invalid registration: " + string.Join("; ", problems));
        }

        // Held tasks describe this connection, not the node; they are not worth remembering.
        var remembered = register.Clone();
        remembered.HeldTasks.Clear();
        return new NodeRecord(register.Name, new Resources(capacity!.Cores, capacity.MemoryBytes), remembered, now);
    }
}
