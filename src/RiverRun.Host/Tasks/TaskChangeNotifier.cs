using System.Collections.Concurrent;
using RiverRun.Core;

namespace RiverRun.Host.Tasks;

/// <summary>
/// Wakes whoever follows a task (output watchers) when its output grows or its state changes.
/// </summary>
/// <remarks>
/// A follower takes <see cref="NextChange"/> <i>before</i> it reads the task's current state and
/// output, then awaits it: a change made after the read completes that task, and a change made
/// before it is already in what was read, so nothing is missed and nobody polls.
/// </remarks>
public sealed class TaskChangeNotifier
{
    private readonly ConcurrentDictionary<TaskId, TaskCompletionSource> _waiters = new();

    /// <summary>Completes at the next change of the task after this call.</summary>
    public Task NextChange(TaskId id) =>
        _waiters.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Tells the task's followers that it changed.</summary>
    public void Notify(TaskId id)
    {
        if (_waiters.TryRemove(id, out var waiters))
        {
            waiters.TrySetResult();
        }
    }
}
