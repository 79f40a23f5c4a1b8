namespace RiverRun.Core;

/// <summary>
/// Where a task is in its life (docs/architecture.md, "A task's life").
/// </summary>
/// <remarks>
/// The numbers are the wire enum's (riverrun.v1.TaskState), so mapping is a cast; the wire's
/// zero value (unspecified) deliberately has no name here: a task always has a real state.
/// Transitions are decided by <see cref="TaskStateMachine"/>.
/// </remarks>
public enum TaskState
{
    /// <summary>Accepted and persisted; waiting for a fitting node with room.</summary>
    Queued = 1,

    /// <summary>Placed on a node and sent to its Runner; not yet started.</summary>
    Assigned = 2,

    /// <summary>Its scope exists and its command runs.</summary>
    Running = 3,

    /// <summary>Frozen or stopped; resumes to <see cref="Running"/>.</summary>
    Paused = 4,

    /// <summary>Final: exited with code 0.</summary>
    Succeeded = 5,

    /// <summary>Final: exited non-zero, or died of a signal nobody sent through RiverRun.</summary>
    Failed = 6,

    /// <summary>Final: stopped by a kill request.</summary>
    Killed = 7,

    /// <summary>Final: killed by the kernel for exceeding its memory limit.</summary>
    OomKilled = 8,

    /// <summary>Final: stopped by the Runner because it ran past its timeout.</summary>
    TimedOut = 9,

    /// <summary>Final: killed before it ever ran.</summary>
    Cancelled = 10,

    /// <summary>Final: its node went away and never came back with news of it.</summary>
    Lost = 11,

    /// <summary>Final: systemd-run itself refused to start it.</summary>
    LaunchFailed = 12,
}
