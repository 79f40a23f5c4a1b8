using RiverRun.Core;

namespace RiverRun.Host.Storage;

/// <summary>One recorded state change of a task (a row of the events table).</summary>
/// <param name="TaskId">The task.</param>
/// <param name="From">The state it left; null for its creation.</param>
/// <param name="To">The state it entered.</param>
/// <param name="At">When the Host recorded the change.</param>
/// <param name="Reason">Why, in words; may be empty.</param>
public sealed record TaskTransition(TaskId TaskId, TaskState? From, TaskState To, DateTimeOffset At, string Reason);
