using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tasks;

/// <summary>
/// The one way a task's stored record changes after it was created: persist first, then tell
/// watchers and (when a task ended) the scheduler. Every state change goes through
/// <see cref="TaskStateMachine"/>, so no late message moves a task out of a final state.
/// </summary>
public sealed class TaskLifecycle(
    ITaskStore store,
    TaskChangeNotifier notifier,
    SchedulerSignal scheduler,
    HostMetrics metrics,
    ILogger<TaskLifecycle> logger)
{
    // Each retry means another writer changed the task in between; a handful is plenty.
    private const int MaxAttempts = 8;

    /// <summary>
    /// Applies <paramref name="change"/> to the task as currently stored. The function returns the
    /// new record, or null to leave the task as it is; it is called again with a fresh record when
    /// another writer got there first. A change the state machine forbids is not made (and logged).
    /// </summary>
    public async Task<TransitionResult> ChangeAsync(
        TaskId id,
        Func<TaskRecord, TaskRecord?> change,
        string reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(id, cancellationToken);
            if (current is null)
            {
                return new(null, false);
            }

            var next = change(current);
            if (next is null)
            {
                return new(current, false);
            }

            if (current.State.IsFinal() || (next.State != current.State && !current.State.CanTransitionTo(next.State)))
            {
                HostLog.TransitionRefused(logger, id.Value, current.State, next.State);
                return new(current, false);
            }

            // Persisted before anyone hears of it: a watcher or Runner never sees a state a crash could undo.
            if (await store.TryUpdateAsync(next, current.State, reason, cancellationToken))
            {
                if (next.State != current.State)
                {
                    HostLog.TaskTransitioned(logger, id.Value, current.State, next.State, reason);
                }

                metrics.TaskChanged(id, current.State, next.State);
                notifier.Notify(id);
                if (next.State.IsFinal() || next.State == TaskState.Queued)
                {
                    // Whatever the task held of its node is free now.
                    scheduler.Request();
                }

                return new(next, true);
            }
        }

        throw new InvalidOperationException($"task {id} kept changing under {MaxAttempts} attempts to update it");
    }
}
