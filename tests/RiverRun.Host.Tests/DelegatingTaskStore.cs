using RiverRun.Core;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tests;

/// <summary>A store that hands every call to <paramref name="inner"/>; test stores override what they change.</summary>
internal abstract class DelegatingTaskStore(ITaskStore inner) : ITaskStore
{
    public virtual Task InsertAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken = default) => inner.InsertAsync(tasks, cancellationToken);

    public virtual Task<TaskRecord?> GetAsync(TaskId id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public virtual Task<bool> TryUpdateAsync(TaskRecord updated, TaskState expectedState, string reason, CancellationToken cancellationToken = default) =>
        inner.TryUpdateAsync(updated, expectedState, reason, cancellationToken);

    public virtual Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

    public virtual Task<IReadOnlyList<TaskRecord>> ListActiveAsync(CancellationToken cancellationToken = default) => inner.ListActiveAsync(cancellationToken);

    public virtual Task<IReadOnlyList<TaskTransition>> ListTransitionsAsync(TaskId id, CancellationToken cancellationToken = default) => inner.ListTransitionsAsync(id, cancellationToken);

    public virtual Task<FinishedTaskPage> ListFinishedAsync(long? after, int pageSize, CancellationToken cancellationToken = default) => inner.ListFinishedAsync(after, pageSize, cancellationToken);

    public virtual Task<int> DeleteFinishedAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default) => inner.DeleteFinishedAsync(ids, cancellationToken);

    public virtual Task<IReadOnlySet<TaskId>> FindExistingAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default) => inner.FindExistingAsync(ids, cancellationToken);

    public virtual Task SaveNodeAsync(NodeRecord node, CancellationToken cancellationToken = default) => inner.SaveNodeAsync(node, cancellationToken);

    public virtual Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken = default) => inner.ListNodesAsync(cancellationToken);

    public virtual Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
}
