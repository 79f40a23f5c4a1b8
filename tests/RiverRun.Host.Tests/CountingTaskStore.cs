using RiverRun.Core;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tests;

/// <summary>A real store that counts the reads of tasks and the updates made through it.</summary>
internal sealed class CountingTaskStore(ITaskStore inner) : DelegatingTaskStore(inner)
{
    private int _reads;
    private int _updates;

    public int Reads => Volatile.Read(ref _reads);

    public int Updates => Volatile.Read(ref _updates);

    public override Task<TaskRecord?> GetAsync(TaskId id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return base.GetAsync(id, cancellationToken);
    }

    public override Task<bool> TryUpdateAsync(TaskRecord updated, TaskState expectedState, string reason, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _updates);
        return base.TryUpdateAsync(updated, expectedState, reason, cancellationToken);
    }

    public override Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return base.ListAsync(query, cancellationToken);
    }

    public override Task<IReadOnlyList<TaskRecord>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return base.ListActiveAsync(cancellationToken);
    }
}
