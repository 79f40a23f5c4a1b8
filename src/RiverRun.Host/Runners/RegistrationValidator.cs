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
    /// <summary>The most cores a Runner may offer: beyond any machine RiverRun is meant for; a fake Runner offering more would attract every task.</summary>
    public const double MaxCores = 4096;

    /// <summary>The most memory a Runner may offer: 64 TiB.</summary>
    public const long MaxMemoryBytes = 64L << 40;

    /// <summary>The most NUMA nodes or GPUs a Runner may list (each bounded by the target parser's index limit).</summary>
    public const int MaxDevices = 4096;

    /// <summary>The longest version or hostname text (a DNS name is at most 253 characters).</summary>
    public const int MaxTextLength = 255;

    /// <summary>The most tasks a reconnecting Runner may say it still holds.</summary>
    public const int MaxHeldTasks = 100_000;

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
            if (!double.IsFinite(capacity.Cores) || capacity.Cores <= 0 || capacity.Cores > MaxCores)
            {
                problems.Add($"register.capacity.cores: {capacity.Cores.ToString(CultureInfo.InvariantCulture)} must be a number greater than 0 and at most {MaxCores}");
            }

            if (capacity.MemoryBytes <= 0 || capacity.MemoryBytes > MaxMemoryBytes)
            {
                problems.Add($"register.capacity.memory_bytes: {capacity.MemoryBytes.ToString(CultureInfo.InvariantCulture)} must be greater than 0 and at most {MaxMemoryBytes} (64 TiB)");
            }
        }

        CheckCount(register.NumaNodes.Count, MaxDevices, "register.numa_nodes", problems);
        CheckCount(register.Gpus.Count, MaxDevices, "register.gpus", problems);
        CheckCount(register.HeldTasks.Count, MaxHeldTasks, "register.held_tasks", problems);
        CheckCount(register.Version.Length, MaxTextLength, "register.version (characters)", problems);
        CheckCount(register.Hostname.Length, MaxTextLength, "register.hostname (characters)", problems);

        if (problems.Count > 0)
        {
            throw RpcErrors.InvalidArgument("invalid registration: " + string.Join("; ", problems));
        }

        // Held tasks describe this connection, not the node; they are not worth remembering.
        var remembered = register.Clone();
        remembered.HeldTasks.Clear();
        return new NodeRecord(register.Name, new Resources(capacity!.Cores, capacity.MemoryBytes), remembered, now);
    }

    private static void CheckCount(int count, int limit, string field, List<string> problems)
    {
        if (count > limit)
        {
            problems.Add($"{field}: {count.ToString(CultureInfo.InvariantCulture)} is more than the limit of {limit.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
