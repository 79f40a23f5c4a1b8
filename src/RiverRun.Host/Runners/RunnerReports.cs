using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Nodes;
using RiverRun.Host.Output;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>
/// Applies what a registered Runner reports: heartbeats, task starts, output and exits.
/// </summary>
/// <remarks>
/// A report about a task that is unknown, or not placed on the reporting node, is logged and
/// dropped rather than ending the stream: one confused task must not cut off a node's other tasks.
/// Reports that come after a task reached a final state change nothing (<see cref="TaskLifecycle"/>).
/// </remarks>
public sealed class RunnerReports(
    ITaskStore store,
    OutputLogStore output,
    NodeRegistry nodes,
    TaskLifecycle lifecycle,
    OutputFeed feed,
    HostMetrics metrics,
    TimeProvider clock,
    ILogger<RunnerReports> logger)
{
    /// <summary>Records usage and liveness.</summary>
    public void OnHeartbeat(RunnerConnection connection, V1.Heartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(heartbeat);
        nodes.RecordHeartbeat(connection.NodeName, connection, heartbeat.Usage, clock.GetUtcNow());
    }

    /// <summary>ASSIGNED -> RUNNING with the scope's unit and start time.</summary>
    public async Task OnStartedAsync(RunnerConnection connection, V1.TaskStarted started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(started);
        if (await FindOwnTaskAsync(connection, started.TaskId, cancellationToken) is not { } task)
        {
            return;
        }

        var startedAt = started.StartedAt?.ToDateTimeOffset() ?? clock.GetUtcNow();
        await lifecycle.ChangeAsync(
            task,
            current => current.State == TaskState.Assigned
                ? current with { State = TaskState.Running, Unit = NullIfEmpty(started.Unit), StartedAt = startedAt, Reason = string.Empty }
                : null,
            $"scope {started.Unit} started",
            cancellationToken);
    }

    /// <summary>
    /// Stores the new part of a chunk and hands it to the task's watchers. Returns the task whose stored
    /// offsets the Runner should be told (also after a duplicate or a gap: that tells it where to
    /// resume), or null for a chunk that belongs to no task of this node.
    /// </summary>
    public async Task<TaskId?> OnOutputAsync(RunnerConnection connection, V1.OutputChunk chunk, HashSet<TaskId> knownOwnTasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(knownOwnTasks);
        if (chunk.Stream is not (V1.OutputStream.Stdout or V1.OutputStream.Stderr) || chunk.Offset < 0)
        {
            HostLog.ReportDropped(logger, connection.NodeName, chunk.TaskId, "output chunk with an unspecified stream or a negative offset");
            return null;
        }

        // Chunks come by the thousand: look the task up once per stream, not once per chunk.
        if (!TaskId.TryParse(chunk.TaskId, out var id) || !knownOwnTasks.Contains(id))
        {
            if (await FindOwnTaskAsync(connection, chunk.TaskId, cancellationToken) is not { } task)
            {
                return null;
            }

            id = task.Id;
            knownOwnTasks.Add(id);
        }

        metrics.OutputReceived(chunk.Data.Length);
        var result = output.Append(id, chunk.Stream, chunk.Offset, chunk.Data.Span);
        switch (result.Outcome)
        {
            case OutputAppendOutcome.Appended:
                // Stored first, then handed on: a watcher that misses it reads the same bytes from the file.
                feed.Publish(id, chunk);
                break;
            case OutputAppendOutcome.Gap:
                HostLog.OutputGap(logger, id.Value, chunk.Stream.ToString(), chunk.Offset, result.StoredLength);
                break;
            case OutputAppendOutcome.Duplicate:
                break;
        }

        return id;
    }

    /// <summary>
    /// The task's final state as the Runner determined it, with exit status, end time and output
    /// totals. Returns the task and whether its end is now persisted, or null for a report that
    /// belongs to no task of this node.
    /// </summary>
    public async Task<ExitedTask?> OnExitedAsync(RunnerConnection connection, V1.TaskExited exited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(exited);
        if (await FindOwnTaskAsync(connection, exited.TaskId, cancellationToken) is not { } task)
        {
            return null;
        }

        var state = (TaskState)(int)exited.State;
        if (state is not (TaskState.Succeeded or TaskState.Failed or TaskState.Killed or TaskState.OomKilled or TaskState.TimedOut or TaskState.LaunchFailed))
        {
            HostLog.ReportDropped(logger, connection.NodeName, exited.TaskId, $"exit with state {exited.State}, which is not an exit state");
            return new ExitedTask(task.Id, EndPersisted: task.State.IsFinal());
        }

        var finishedAt = exited.FinishedAt?.ToDateTimeOffset() ?? clock.GetUtcNow();
        var reason = exited.Reason.Length > 0 ? exited.Reason : $"ended {state.ToDisplayName()}";
        var result = await lifecycle.ChangeAsync(
            task,
            current => current.State.IsFinal() ? null : current with
            {
                State = state,
                ExitCode = exited.Exit is { HasExitCode: true } ? exited.Exit.ExitCode : null,
                ExitSignal = exited.Exit is { HasSignal: true } ? exited.Exit.Signal : null,
                Reason = exited.Reason,
                FinishedAt = finishedAt,
                StdoutTotal = exited.StdoutLength,
                StderrTotal = exited.StderrLength,
                Usage = exited.Usage,
            },
            reason,
            cancellationToken);
        // Final as stored now: this change made it so, or the task had ended before (a kill, a
        // re-sent exit). A task that vanished meanwhile (retention) has no end to vouch for.
        return new ExitedTask(task.Id, EndPersisted: result.Task?.State.IsFinal() == true);
    }

    /// <summary>The task if it exists and is placed on the connection's node; otherwise logs and returns null.</summary>
    private async Task<TaskRecord?> FindOwnTaskAsync(RunnerConnection connection, string taskId, CancellationToken cancellationToken)
    {
        if (!TaskId.TryParse(taskId, out var id, out var error))
        {
            HostLog.ReportDropped(logger, connection.NodeName, taskId, error);
            return null;
        }

        var task = await store.GetAsync(id, cancellationToken);
        if (task is null || task.Node != connection.NodeName)
        {
            HostLog.ReportDropped(logger, connection.NodeName, taskId, task is null ? "no such task" : $"the task is placed on '{task.Node}'");
            return null;
        }

        return task;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
