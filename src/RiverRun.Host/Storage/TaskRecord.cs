using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Storage;

/// <summary>
/// One task as the store keeps it. Immutable: a change is a new record written with
/// <see cref="ITaskStore.TryUpdateAsync"/>, which checks the state it replaces.
/// </summary>
/// <remarks>
/// The spec and target stay in their wire form: the Host passes them on to the Runner unchanged,
/// and storing the wire bytes keeps every field (including ones added later) without a mapping
/// that could drop one. The output lengths stored on disk are not here: they belong to
/// <see cref="Output.OutputLogStore"/>; these are the totals the Runner announced when the task ended.
/// </remarks>
public sealed record TaskRecord
{
    /// <summary>The task id.</summary>
    public required TaskId Id { get; init; }

    /// <summary>What was submitted.</summary>
    public required V1.TaskSpec Spec { get; init; }

    /// <summary>The target it was submitted with; null when the scheduler chooses the node.</summary>
    public V1.TargetSelector? Target { get; init; }

    /// <summary>Current state.</summary>
    public required TaskState State { get; init; }

    /// <summary>The node it was placed on; null while QUEUED.</summary>
    public string? Node { get; init; }

    /// <summary>The systemd scope unit, once started.</summary>
    public string? Unit { get; init; }

    /// <summary>Exit code of the main process, when it exited normally.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Signal that killed the main process, when one did.</summary>
    public int? ExitSignal { get; init; }

    /// <summary>Why the task is in its current state, in words; empty when there is nothing to say.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its scope started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached its final state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Total standard output bytes the Runner reported at exit; null while unknown.</summary>
    public long? StdoutTotal { get; init; }

    /// <summary>Total standard error bytes the Runner reported at exit; null while unknown.</summary>
    public long? StderrTotal { get; init; }

    /// <summary>What the task used, as the Runner read it from the cgroup at exit (wire form); null while unknown.</summary>
    public V1.TaskUsage? Usage { get; init; }

    /// <summary>The name of the token that submitted it; empty when the Host had no tokens (open access) then.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>What the task holds of its node for scheduling: its requested cores and memory.</summary>
    public Resources Requested => Spec.Resources is { } r ? new Resources(r.Cores, r.MemoryBytes) : Resources.None;
}
