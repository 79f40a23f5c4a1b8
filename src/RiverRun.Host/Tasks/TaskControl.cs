using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Runners;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>
/// Kill, pause and resume: what the Host decides itself, and what it asks the task's Runner to do.
/// </summary>
/// <remarks>
/// Kill: a QUEUED task is CANCELLED at once. A placed task on a connected node gets KillTask; the
/// call waits for the Runner's CommandAck and returns the task as it is then (normally still
/// RUNNING: KILLED arrives with the Runner's TaskExited, which watchers see). A placed task whose
/// node is not connected ends now (CANCELLED if it never started, KILLED otherwise); if its Runner
/// comes back still holding it, registration tells it to forget the task, which stops its scope.
/// Pause and resume wait for the Runner's CommandAck and only then record PAUSED or RUNNING.
/// </remarks>
public sealed class TaskControl(
    TaskQueries queries,
    TaskLifecycle lifecycle,
    NodeRegistry nodes,
    TaskInfoMapper mapper,
    HostTimings timings,
    TimeProvider clock,
    ILogger<TaskControl> logger)
{
    // The task can change between reading it and acting (the scheduler places it, it ends): re-decide a few times.
    private const int MaxAttempts = 4;

    /// <summary>
    /// The longest grace period a kill may give: an hour is more than any task needs to save its
    /// state, and keeps the wait for the Runner's acknowledgement (grace plus a margin) finite.
    /// </summary>
    public static readonly TimeSpan MaxGracePeriod = TimeSpan.FromHours(1);

    /// <summary>Stops a task; see the class remarks.</summary>
    public async Task<V1.TaskInfo> KillAsync(V1.KillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grace = timings.DefaultKillGracePeriod;
        if (request.GracePeriod is { } duration)
        {
            grace = ToGracePeriod(duration);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var task = await queries.GetRecordAsync(request.TaskId, cancellationToken);
            if (task.State.IsFinal())
            {
                return mapper.ToInfo(task);
            }

            var connection = task.Node is { } node ? nodes.GetConnection(node) : null;
            if (task.State == TaskState.Queued || connection is null)
            {
                var ended = await EndWithoutRunnerAsync(task, cancellationToken);
                if (ended.Changed)
                {
                    return mapper.ToInfo(ended.Task!);
                }

                continue;
            }

            var kill = new V1.KillTask { TaskId = task.Id.Value, GracePeriod = Duration.FromTimeSpan(grace) };
            try
            {
                // The Runner acknowledges a kill once the scope is gone: after SIGTERM, up to the
                // whole grace period, and SIGKILL. Waiting only CommandTimeout would report a
                // failure for every task that takes its time to stop, while the kill goes on.
                await SendAndWaitAsync(connection, new V1.HostMessage { Kill = kill }, task, "kill", grace + timings.CommandTimeout, cancellationToken);
            }
            catch (RpcException)
            {
                // It may have ended on its own while the kill was on its way (the Runner found no scope): that is what was asked.
                var now = await queries.GetRecordAsync(request.TaskId, cancellationToken);
                if (now.State.IsFinal())
                {
                    return mapper.ToInfo(now);
                }

                throw;
            }

            HostLog.KillRequested(logger, task.Id.Value, connection.NodeName);
            return mapper.ToInfo(await queries.GetRecordAsync(request.TaskId, cancellationToken));
        }

        throw RpcErrors.Unavailable($"task {request.TaskId} kept changing state; try the kill again");
    }

    /// <summary>RUNNING -> PAUSED once the Runner froze the scope; FailedPrecondition unless RUNNING.</summary>
    public Task<V1.TaskInfo> PauseAsync(V1.PauseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SwitchAsync(request.TaskId, TaskState.Running, TaskState.Paused, id => new V1.HostMessage { Pause = new V1.PauseTask { TaskId = id } }, "pause", cancellationToken);
    }

    /// <summary>PAUSED -> RUNNING once the Runner thawed the scope; FailedPrecondition unless PAUSED.</summary>
    public Task<V1.TaskInfo> ResumeAsync(V1.ResumeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SwitchAsync(request.TaskId, TaskState.Paused, TaskState.Running, id => new V1.HostMessage { Resume = new V1.ResumeTask { TaskId = id } }, "resume", cancellationToken);
    }

    private async Task<V1.TaskInfo> SwitchAsync(
        string taskId, TaskState from, TaskState to, Func<string, V1.HostMessage> command, string verb, CancellationToken cancellationToken)
    {
        var task = await queries.GetRecordAsync(taskId, cancellationToken);
        if (task.State != from)
        {
            throw RpcErrors.FailedPrecondition(
                $"task {task.Id} is {task.State.ToDisplayName()}; only a {from.ToDisplayName()} task can be {(verb == "pause" ? "paused" : "resumed")}");
        }

        var connection = (task.Node is { } node ? nodes.GetConnection(node) : null)
            ?? throw RpcErrors.FailedPrecondition($"task {task.Id} runs on node '{task.Node}', which is not connected now; try again when it is");
        await SendAndWaitAsync(connection, command(task.Id.Value), task, verb, timings.CommandTimeout, cancellationToken);
        var result = await lifecycle.ChangeAsync(
            task.Id,
            current => current.State == from ? current with { State = to, Reason = string.Empty } : null,
            $"{verb}d by user",
            cancellationToken);
        return mapper.ToInfo(result.Task!);
    }

    private async Task SendAndWaitAsync(
        RunnerConnection connection, V1.HostMessage command, TaskRecord task, string verb, TimeSpan timeout, CancellationToken cancellationToken)
    {
        V1.CommandAck ack;
        try
        {
            ack = await connection.SendCommandAndWaitAsync(command, timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw RpcErrors.Unavailable(
                $"the Runner of node '{connection.NodeName}' did not acknowledge the {verb} of task {task.Id} within {timeout.TotalSeconds:0.#} s");
        }
        catch (RunnerDisconnectedException)
        {
            throw RpcErrors.Unavailable($"node '{connection.NodeName}' disconnected before acknowledging the {verb} of task {task.Id}; try again");
        }

        if (ack.Error.Length > 0)
        {
            throw RpcErrors.FailedPrecondition($"node '{connection.NodeName}' could not {verb} task {task.Id}: {ack.Error}");
        }
    }

    private async Task<TransitionResult> EndWithoutRunnerAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (state, reason) = task.State switch
        {
            TaskState.Queued => (TaskState.Cancelled, "cancelled by user before it was placed"),
            TaskState.Assigned => (TaskState.Cancelled, $"cancelled by user while node '{task.Node}' was not connected, before it started"),
            _ => (TaskState.Killed, $"killed by user while node '{task.Node}' was not connected; its scope is stopped when the Runner reconnects"),
        };
        return await lifecycle.ChangeAsync(
            task.Id,
            current => current.State == task.State && current.Node == task.Node
                ? current with { State = state, Reason = reason, FinishedAt = now }
                : null,
            reason,
            cancellationToken);
    }

    private static TimeSpan ToGracePeriod(Duration duration)
    {
        TimeSpan value;
        try
        {
            value = duration.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            throw RpcErrors.InvalidArgument("grace_period: is not a valid duration");
        }

        if (value < TimeSpan.Zero)
        {
            throw RpcErrors.InvalidArgument("grace_period: must not be negative; leave it unset for 10 s");
        }

        return value <= MaxGracePeriod
            ? value
            : throw RpcErrors.InvalidArgument(
                $"grace_period: {DurationParser.Format(value)} is longer than the limit of {DurationParser.Format(MaxGracePeriod)}");
    }
}
