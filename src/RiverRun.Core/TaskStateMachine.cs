using System.Diagnostics.CodeAnalysis;

namespace RiverRun.Core;

/// <summary>
/// Which state changes a task may make (docs/architecture.md, "A task's life"):
/// <code>
/// QUEUED -> ASSIGNED -> RUNNING &lt;-> PAUSED -> SUCCEEDED | FAILED | KILLED | OOM_KILLED | TIMED_OUT
/// QUEUED | ASSIGNED -> CANCELLED        (killed before it ran)
/// any non-final     -> LOST             (its node never came back)
/// ASSIGNED -> LAUNCH_FAILED             (systemd-run refused)
/// ASSIGNED -> any exit state            (a short task whose Started and Exited arrive together)
/// ASSIGNED -> QUEUED                    (its node dropped before starting it: place it again)
/// </code>
/// Final states have no way out, not even to themselves, so a late or repeated message can
/// never rewrite how a task ended.
/// </summary>
public static class TaskStateMachine
{
    // The ways a task's process can end once it has a scope.
    private static readonly TaskState[] ExitStates =
    [
        TaskState.Succeeded, TaskState.Failed, TaskState.Killed, TaskState.OomKilled, TaskState.TimedOut,
    ];

    private static readonly Dictionary<TaskState, TaskState[]> AllowedNext = new()
    {
        [TaskState.Queued] = [TaskState.Assigned, TaskState.Cancelled, TaskState.Lost],
        [TaskState.Assigned] =
        [
            TaskState.Running, TaskState.Queued, TaskState.LaunchFailed, TaskState.Cancelled, TaskState.Lost,
            .. ExitStates,
        ],
        [TaskState.Running] = [TaskState.Paused, TaskState.Lost, .. ExitStates],
        [TaskState.Paused] = [TaskState.Running, TaskState.Lost, .. ExitStates],
    };

    /// <summary>True for the states a task ends in; nothing moves a task out of one.</summary>
    public static bool IsFinal(this TaskState state) => state switch
    {
        TaskState.Queued or TaskState.Assigned or TaskState.Running or TaskState.Paused => false,
        _ => true,
    };

    /// <summary>Whether a task in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanTransition(TaskState from, TaskState to) =>
        AllowedNext.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;

    /// <summary>Whether a task in this state may move to <paramref name="to"/>.</summary>
    public static bool CanTransitionTo(this TaskState from, TaskState to) => CanTransition(from, to);

    /// <summary>The states a task in <paramref name="from"/> may move to (empty for a final state).</summary>
    public static IReadOnlyList<TaskState> NextStates(TaskState from) =>
        AllowedNext.TryGetValue(from, out var next) ? next : [];

    /// <summary>
    /// Checks a transition; when it is not allowed, <paramref name="error"/> names both states and
    /// why (the source is final, or which states it may move to instead).
    /// </summary>
    public static bool TryValidateTransition(TaskState from, TaskState to, [NotNullWhen(false)] out string? error)
    {
        if (CanTransition(from, to))
        {
            error = null;
            return true;
        }

        var prefix = $"a task cannot go from {from.ToDisplayName()} to {to.ToDisplayName()}";
        error = from.IsFinal()
            ? $"{prefix}: {from.ToDisplayName()} is a final state"
            : $"{prefix}; from {from.ToDisplayName()} it may go to {string.Join(", ", NextStates(from).Select(ToDisplayName))}";
        return false;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming both states when the transition is not allowed.</summary>
    public static void EnsureTransition(TaskState from, TaskState to)
    {
        if (!TryValidateTransition(from, to, out var error))
        {
            throw new InvalidOperationException(error);
        }
    }

    /// <summary>The state as users see it and as docs/architecture.md spells it: QUEUED, OOM_KILLED, ...</summary>
    public static string ToDisplayName(this TaskState state) => state switch
    {
        TaskState.Queued => "QUEUED",
        TaskState.Assigned => "ASSIGNED",
        TaskState.Running => "RUNNING",
        TaskState.Paused => "PAUSED",
        TaskState.Succeeded => "SUCCEEDED",
        TaskState.Failed => "FAILED",
        TaskState.Killed => "KILLED",
        TaskState.OomKilled => "OOM_KILLED",
        TaskState.TimedOut => "TIMED_OUT",
        TaskState.Cancelled => "CANCELLED",
        TaskState.Lost => "LOST",
        TaskState.LaunchFailed => "LAUNCH_FAILED",
        _ => $"UNKNOWN({(int)state})",
    };
}
