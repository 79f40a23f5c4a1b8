using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tasks;

/// <summary>
/// The one way a task's stored record changes after it was created: persist first, then tell the
/// scheduler's memory (<see cref="SchedulerState"/>), watchers and (when a task ended, went back to
/// QUEUED or left ASSIGNED) the scheduler. Every state change goes through
/// <see cref="TaskStateMachine"/>, so no late message moves a task out of a final state.
/// </summary>
/// <remarks>
/// Changes to one task run one at a time, from its read to the scheduler's memory taking the
/// change: were two of them (placed, then sent back to QUEUED) to reach that memory in the
/// opposite order to their commits, it would lose a QUEUED task until the next restart. Tasks
/// share a fixed set of locks by hash: an unrelated task behind the same lock waits one write.
/// </remarks>
public sealed class TaskLifecycle(
    ITaskStore store,
    SchedulerState state,
    TaskChangeNotifier notifier,
    SchedulerSignal scheduler,
    HostMetrics metrics,
    ILogger<TaskLifecycle> logger)
{
    // Each retry means another writer changed the task in between; a handful is plenty.
    private const int MaxAttempts = 8;

    // A power of two, many more than the writes in flight at once, so tasks seldom share one.
    private const int LockCount = 256;

    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockCount).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Applies <paramref name="change"/> to the task as currently stored. The function returns the
    /// new record, or null to leave the task as it is; it is called again with a fresh record when
    /// another writer got there first. A change the state machine forbids is not made (and logged).
    /// </summary>
    public Task<TransitionResult> ChangeAsync(
        TaskId id,
        Func<TaskRecord, TaskRecord?> change,
        string reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);
        return ChangeAsync(id, asRead: null, change, reason, cancellationToken);
    }

    /// <summary>
    /// <see cref="ChangeAsync(TaskId, Func{TaskRecord, TaskRecord?}, string, CancellationToken)"/>
    /// starting from <paramref name="asRead"/>, the record the caller has just read from the store,
    /// instead of reading it again. Just as safe: the write is compare-and-set on the state, so a
    /// record that another writer changed meanwhile fails it, and the change is decided again on a
    /// fresh read.
    /// </summary>
    public Task<TransitionResult> ChangeAsync(
        TaskRecord asRead,
        Func<TaskRecord, TaskRecord?> change,
        string reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asRead);
        ArgumentNullException.ThrowIfNull(change);
        return ChangeAsync(asRead.Id, asRead, change, reason, cancellationToken);
    }

    private async Task<TransitionResult> ChangeAsync(
        TaskId id,
        TaskRecord? asRead,
        Func<TaskRecord, TaskRecord?> change,
        string reason,
        CancellationToken cancellationToken)
    {
        var taskLock = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(id.Value) % LockCount)];
        await taskLock.WaitAsync(cancellationToken);
        TaskRecord current;
        TaskRecord next;
        try
        {
            var changed = await PersistAsync(id, asRead, change, reason, cancellationToken);
            if (!changed.Changed)
            {
                return new(changed.Current, false);
            }

            (current, next) = (changed.Current!, changed.Next!);
            state.Apply(next);
        }
        finally
        {
            taskLock.Release();
        }

        if (next.State != current.State)
        {
            HostLog.TaskTransitioned(logger, id.Value, current.State, next.State, reason);
        }

        metrics.TaskChanged(id, current.State, next.State);
        notifier.Notify(id);
        if (next.State.IsFinal() || next.State == TaskState.Queued || (current.State == TaskState.Assigned && next.State != TaskState.Assigned))
        {
            // Whatever the task held of its node is free now; or it no longer counts among the
            // tasks its node is still starting (PlacementPolicy.StartingLimit).
            scheduler.Request();
        }

        return new(next, true);
    }

    // Under the task's lock: read (unless handed the record), decide, compare-and-set; again on a lost race.
    private async Task<(bool Changed, TaskRecord? Current, TaskRecord? Next)> PersistAsync(
        TaskId id,
        TaskRecord? asRead,
        Func<TaskRecord, TaskRecord?> change,
        string reason,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The caller's record serves the first attempt only: a retry means it is stale.
            var current = attempt == 0 && asRead is not null ? asRead : await store.GetAsync(id, cancellationToken);
            if (current is null)
            {
                return (false, null, null);
            }

            var next = change(current);
            if (next is null)
            {
                return (false, current, null);
            }

            if (current.State.IsFinal() || (next.State != current.State && !current.State.CanTransitionTo(next.State)))
            {
                HostLog.TransitionRefused(logger, id.Value, current.State, next.State);
                return (false, current, null);
            }

            // Persisted before anyone hears of it: a watcher or Runner never sees a state a crash could undo.
            if (await store.TryUpdateAsync(next, current.State, reason, cancellationToken))
            {
                return (true, current, next);
            }
        }

        throw new InvalidOperationException($"task {id} kept changing under {MaxAttempts} attempts to update it");
    }
}
