using RiverRun.Host.Storage;

namespace RiverRun.Host.Tasks;

/// <summary>The task after a requested change, and whether the change was made.</summary>
/// <param name="Task">The task as stored now; null when the id is unknown.</param>
/// <param name="Changed">True when the change was written; false when the task's state did not allow it.</param>
public readonly record struct TransitionResult(TaskRecord? Task, bool Changed);
