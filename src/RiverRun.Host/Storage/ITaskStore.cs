using RiverRun.Core;

namespace RiverRun.Host.Storage;

/// <summary>
/// The Host's durable state: tasks, their transitions, and nodes. SQLite implements it today; the
/// interface is what a PostgreSQL store would implement for a larger deployment, so nothing here
/// assumes one process or one file.
/// </summary>
/// <remarks>
/// Every method returns only after the change is durable, so a caller may acknowledge it.
/// Updates are compare-and-set on the state: a caller that lost a race gets false, re-reads and
/// decides again, and no update can take a task out of a final state.
/// </remarks>
public interface ITaskStore
{
    /// <summary>Creates the tasks (each QUEUED) and their first events, all or none.</summary>
    Task InsertAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken = default);

    /// <summary>One task, or null when the id is unknown.</summary>
    Task<TaskRecord?> GetAsync(TaskId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the task with <paramref name="updated"/> if it is still in <paramref name="expectedState"/>,
    /// recording a transition when the state changes. False when the task was not in that state.
    /// </summary>
    /// <exception cref="InvalidOperationException">The change is not a transition <see cref="TaskStateMachine"/> allows,
    /// or the expected state is final (final records never change).</exception>
    Task<bool> TryUpdateAsync(TaskRecord updated, TaskState expectedState, string reason, CancellationToken cancellationToken = default);

    /// <summary>Tasks filtered and paged, newest first.</summary>
    Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every task not in a final state, oldest first (the scheduler's FIFO order).</summary>
    Task<IReadOnlyList<TaskRecord>> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>A task's recorded transitions, oldest first.</summary>
    Task<IReadOnlyList<TaskTransition>> ListTransitionsAsync(TaskId id, CancellationToken cancellationToken = default);

    /// <summary>Finished tasks in brief, most recently submitted first, <paramref name="pageSize"/> at a time.</summary>
    /// <param name="after">The cursor of the previous page (<see cref="FinishedTaskPage.NextCursor"/>); null for the first.</param>
    Task<FinishedTaskPage> ListFinishedAsync(long? after, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the tasks and their transitions, all or none; a task not in a final state is left
    /// alone (retention never removes a task that could still change). Returns how many were removed.
    /// </summary>
    Task<int> DeleteFinishedAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="ids"/> name a task the store holds.</summary>
    Task<IReadOnlySet<TaskId>> FindExistingAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a node's registration.</summary>
    Task SaveNodeAsync(NodeRecord node, CancellationToken cancellationToken = default);

    /// <summary>Every node that ever registered.</summary>
    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers a trivial read; throws what the store throws when it does not.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
