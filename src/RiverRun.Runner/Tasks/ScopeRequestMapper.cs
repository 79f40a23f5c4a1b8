using RiverRun.Contracts.V1;
using RiverRun.Core;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// The policy half of starting a task: decides unit, slice, limits, user, directory and
/// environment for a StartTask. Pure; the mechanism (RiverRun.Systemd) only applies the result.
/// </summary>
internal static class ScopeRequestMapper
{
    /// <exception cref="TaskRejectedException">The task cannot run here as asked; the message says why.</exception>
    public static ScopeRequest Map(StartTask start, TaskAccount account, LaunchContext context, string spoolDirectory)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(context);
        var spec = start.Spec ?? throw new TaskRejectedException("The StartTask has no task spec.");
        if (spec.Argv.Count == 0 || string.IsNullOrEmpty(spec.Argv[0]))
        {
            throw new TaskRejectedException("The task has no command to run (argv is empty).");
        }

        var resources = spec.Resources ?? new Contracts.V1.Resources();
        var target = start.Target;
        var gpus = target?.Gpus.ToArray() ?? [];
        var (allowedCpus, allowedMemoryNodes) = NumaPinning(target, context.NumaNodes);

        var request = new ScopeRequest
        {
            UnitName = ScopeRequest.UnitPrefix + start.TaskId,
            Slice = context.Slice,
            CpuQuotaPercent = CpuQuotaPercent(resources.Cores),
            MemoryMaxBytes = MemoryMax(resources.MemoryBytes),
            AllowedCpus = allowedCpus,
            AllowedMemoryNodes = allowedMemoryNodes,
            // A name, never the uid the user may have typed: systemd-run sets USER to this text.
            User = string.IsNullOrEmpty(spec.User) ? null : account.Name,
            WorkingDirectory = WorkingDirectory(spec.WorkingDirectory, account),
            Environment = TaskEnvironment.Build(start.TaskId, context.NodeName, account, spec.Env, gpus),
            Argv = [.. spec.Argv],
            SpoolDirectory = spoolDirectory,
            ExpandEnvironmentOption = context.ExpandEnvironmentOption,
        };

        try
        {
            request.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new TaskRejectedException(ex.Message, ex);
        }

        return request;
    }

    /// <summary>CPUQuota in percent of one core: cores*100 (what <see cref="CoreCount.ToCpuQuota"/> writes); null for no limit.</summary>
    public static int? CpuQuotaPercent(double cores)
    {
        if (cores == 0)
        {
            return null;
        }

        return CoreCount.TryFromCores(cores, out var count, out var error)
            ? count.Hundredths
            : throw new TaskRejectedException($"The task's CPU share is invalid: {error}.");
    }

    private static long? MemoryMax(long bytes) => bytes switch
    {
        0 => null,
        < 0 => throw new TaskRejectedException($"The task's memory limit {bytes} is negative."),
        _ => bytes,
    };

    // An explicit directory is the user's choice (a missing one fails the task, clearly); the
    // default is the user's home, or "/" for accounts whose home does not exist (system users).
    private static string WorkingDirectory(string requested, TaskAccount account) =>
        !string.IsNullOrEmpty(requested) ? requested : account.HomeExists ? account.Home : "/";

    private static (string? Cpus, string? MemoryNodes) NumaPinning(Contracts.V1.TargetSelector? target, IReadOnlyList<NumaNode> numaNodes)
    {
        if (target is null || !target.HasNumaNode)
        {
            return (null, null);
        }

        var node = numaNodes.FirstOrDefault(n => n.Index == target.NumaNode)
            ?? throw new TaskRejectedException($"This node has no NUMA node {target.NumaNode} (it has {(numaNodes.Count == 0 ? "none" : string.Join(", ", numaNodes.Select(n => n.Index)))}).");
        if (string.IsNullOrWhiteSpace(node.Cpus))
        {
            throw new TaskRejectedException($"NUMA node {node.Index} has no CPUs.");
        }

        return (node.Cpus, node.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
