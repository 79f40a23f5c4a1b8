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

    /// <summary>Tasks someone waits on now (for leak checks: a task nobody follows has no entry).</summary>
    public int WaitedOnTasks => _waiters.Count;

    /// <summary>Completes at the next change of the task after this call.</summary>
    public Task NextChange(TaskId id) =>
        _waiters.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Drops the task's entry once it is final (nothing changes it any more, so nothing would
    /// ever remove an entry a follower created just before reading the final state). Anyone
    /// still waiting on it wakes, reads the task and sees it final.
    /// </summary>
    public void Forget(TaskId id) => Notify(id);

    /// <summary>Tells the task's followers that it changed.</summary>
    public void Notify(TaskId id)
    {
        if (_waiters.TryRemove(id, out var waiters))
        {
            waiters.TrySetResult();
        }
    }
}
