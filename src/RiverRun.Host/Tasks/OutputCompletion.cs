using RiverRun.Host.Output;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>Whether the Host has stored all of a task's output.</summary>
public static class OutputCompletion
{
    /// <summary>
    /// True once the totals the Runner announced at exit are all stored. A task that ended without
    /// its Runner saying how much it wrote (CANCELLED, LOST, killed while its node was away) has no
    /// more output the Host waits for; neither has one that has not ended, as far as "complete" goes,
    /// so callers check the state first.
    /// </summary>
    public static bool IsComplete(TaskRecord task, OutputLogStore output)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(output);
        return task.StdoutTotal is not { } stdout || task.StderrTotal is not { } stderr
            || (output.GetLength(task.Id, V1.OutputStream.Stdout) >= stdout
                && output.GetLength(task.Id, V1.OutputStream.Stderr) >= stderr);
    }
}
