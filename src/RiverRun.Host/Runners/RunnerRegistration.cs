using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Output;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>
/// Accepts a Runner's registration: replaces an older stream of the same name, reconciles what the
/// Runner holds with what the Host believes, answers Registered, and makes the node available to
/// the scheduler.
/// </summary>
/// <remarks>
/// Reconciling, per task:
/// <list type="bullet">
/// <item>held and wanted: Registered.resume carries the stored output lengths, so the Runner re-sends from there;</item>
/// <item>held but unknown, placed elsewhere, or final with all its output stored: Registered.forget_task_ids.
/// That covers what <see cref="NodeLossMonitor"/> gave up while the node was away: a LOST task has no
/// output totals, so it counts as complete; a re-queued task has no node, a re-placed one another node;</item>
/// <item>ASSIGNED here but not held: StartTask again (the first one was lost with the old stream);</item>
/// <item>RUNNING or PAUSED here but not held: LOST, since nothing on the node knows of it any more.</item>
/// </list>
/// It all happens inside the <see cref="SchedulingGate"/>, so no scheduler pass starts a task on the
/// node between reading its tasks and attaching the new stream.
/// </remarks>
public sealed class RunnerRegistration(
    ITaskStore store,
    OutputLogStore output,
    NodeRegistry nodes,
    NodeLossMonitor lossMonitor,
    TaskLifecycle lifecycle,
    SchedulingGate gate,
    SchedulerSignal scheduler,
    HostTimings timings,
    TimeProvider clock,
    ILogger<RunnerRegistration> logger)
{
    /// <summary>Registers <paramref name="connection"/> for <paramref name="node"/> and sends Registered and any missed StartTasks.</summary>
    public async Task RegisterAsync(NodeRecord node, IReadOnlyList<V1.HeldTask> held, RunnerConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(connection);
        Task registeredWritten;
        using (await gate.EnterAsync(cancellationToken))
        {
            // Inside the gate: a countdown that fires now waits for this registration and then finds itself cancelled.
            lossMonitor.NodeConnected(node.Name);
            if (nodes.Detach(node.Name) is { } previous)
            {
                HostLog.ConnectionReplaced(logger, node.Name);
                previous.Close();
            }

            await store.SaveNodeAsync(node, cancellationToken);
            // Known (with its new capacity) before the Runner hears Registered, so a submit naming it right after succeeds.
            nodes.Register(node);
            var registered = new V1.Registered { HeartbeatInterval = Duration.FromTimeSpan(timings.HeartbeatInterval) };
            var heldIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var task in held)
            {
                heldIds.Add(task.TaskId);
                await ReconcileHeldAsync(node.Name, task, registered, cancellationToken);
            }

            var toStart = new List<TaskRecord>();
            foreach (var task in await store.ListActiveAsync(cancellationToken))
            {
                if (task.Node != node.Name || heldIds.Contains(task.Id.Value))
                {
                    continue;
                }

                if (task.State == TaskState.Assigned)
                {
                    toStart.Add(task);
                }
                else if (task.State is TaskState.Running or TaskState.Paused)
                {
                    await MarkLostAsync(task, node.Name, cancellationToken);
                }
            }

            // Queued in order under the gate, written outside it: a Runner slow to read its
            // stream must not hold the gate, which every other node's scheduling needs.
            registeredWritten = connection.Enqueue(new V1.HostMessage { Registered = registered });
            foreach (var task in toStart)
            {
                Scheduler.QueueStart(task, connection, logger);
            }

            nodes.Attach(node, connection);
            HostLog.RunnerRegistered(logger, node.Name, node.Capacity, held.Count, toStart.Count);
        }

        scheduler.Request();
        // A stream that cannot take Registered is broken: the session ends with the usual disconnect.
        await registeredWritten.WaitAsync(cancellationToken);
    }

    private async Task ReconcileHeldAsync(string nodeName, V1.HeldTask held, V1.Registered registered, CancellationToken cancellationToken)
    {
        var task = TaskId.TryParse(held.TaskId, out var id) ? await store.GetAsync(id, cancellationToken) : null;
        if (task is null || task.Node != nodeName || (task.State.IsFinal() && OutputCompletion.IsComplete(task, output)))
        {
            if (task is not null)
            {
                // The Runner deletes its copy on hearing this: ours must be on disk first (a Host
                // killed after storing the output may never have flushed it).
                output.Flush(task.Id);
            }

            registered.ForgetTaskIds.Add(held.TaskId);
            return;
        }

        registered.Resume.Add(new V1.OutputAck
        {
            TaskId = held.TaskId,
            StdoutOffset = output.GetLength(task.Id, V1.OutputStream.Stdout),
            StderrOffset = output.GetLength(task.Id, V1.OutputStream.Stderr),
        });
    }

    private async Task MarkLostAsync(TaskRecord task, string nodeName, CancellationToken cancellationToken)
    {
        var reason = $"node '{nodeName}' re-registered without this task: its Runner no longer knows of it";
        var now = clock.GetUtcNow();
        await lifecycle.ChangeAsync(
            task.Id,
            current => current.State is TaskState.Running or TaskState.Paused && current.Node == nodeName
                ? current with { State = TaskState.Lost, Reason = reason, FinishedAt = now }
                : null,
            reason,
            cancellationToken);
    }
}
