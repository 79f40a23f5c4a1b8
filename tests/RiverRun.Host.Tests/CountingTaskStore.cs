using RiverRun.Core;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tests;

/// <summary>A real store that counts the reads of tasks and the updates made through it.</summary>
internal sealed class CountingTaskStore(ITaskStore inner) : ITaskStore
{
    private int _reads;
    private int _updates;

    public int Reads => Volatile.Read(ref _reads);

    public int Updates => Volatile.Read(ref _updates);

    public Task InsertAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken = default) => inner.InsertAsync(tasks, cancellationToken);

    public Task<TaskRecord?> GetAsync(TaskId id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(id, cancellationToken);
    }

    public Task<bool> TryUpdateAsync(TaskRecord updated, TaskState expectedState, string reason, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _updates);
        return inner.TryUpdateAsync(updated, expectedState, reason, cancellationToken);
    }

    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ListAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<TaskRecord>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ListActiveAsync(cancellationToken);
    }

    public Task<IReadOnlyList<TaskTransition>> ListTransitionsAsync(TaskId id, CancellationToken cancellationToken = default) => inner.ListTransitionsAsync(id, cancellationToken);

    public Task<FinishedTaskPage> ListFinishedAsync(long? after, int pageSize, CancellationToken cancellationToken = default) => inner.ListFinishedAsync(after, pageSize, cancellationToken);

    public Task<int> DeleteFinishedAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default) => inner.DeleteFinishedAsync(ids, cancellationToken);

    public Task<IReadOnlySet<TaskId>> FindExistingAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default) => inner.FindExistingAsync(ids, cancellationToken);

    public Task SaveNodeAsync(NodeRecord node, CancellationToken cancellationToken = default) => inner.SaveNodeAsync(node, cancellationToken);

    public Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken = default) => inner.ListNodesAsync(cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
}
