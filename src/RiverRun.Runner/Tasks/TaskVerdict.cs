using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Tasks;

/// <summary>The final state the Runner determined for a task, with how and why.</summary>
/// <param name="State">SUCCEEDED, FAILED, KILLED, OOM_KILLED, TIMED_OUT or LAUNCH_FAILED.</param>
/// <param name="ExitCode">The main process's exit code, when it exited normally.</param>
/// <param name="Signal">The signal that ended the main process, when one did.</param>
/// <param name="Reason">Why, in words.</param>
internal sealed record TaskVerdict(TaskState State, int? ExitCode, int? Signal, string Reason)
{
    /// <summary>What the task used, from the wrapper's record; null when unknown.</summary>
    public TaskUsage? Usage { get; init; }

    public static TaskVerdict LaunchFailed(string reason) => new(TaskState.LaunchFailed, null, null, reason);
}
