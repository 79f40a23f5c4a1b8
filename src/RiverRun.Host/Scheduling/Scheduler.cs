using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Runners;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;
using RiverRun.Systemd.Notify;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Scheduling;

/// <summary>
/// Places QUEUED tasks on nodes with room and sends them to their Runners. A pass runs whenever
/// something that changes the answer happens (a submit, a registration, a disconnect, a task
/// ending: see <see cref="SchedulerSignal"/>); there is no polling.
/// </summary>
/// <remarks>
/// Each pass looks at the queued tasks oldest first and places each one that fits now, so a task
/// waiting for a full node does not hold up tasks for other nodes behind it. Room is what a
/// node's Runner registered minus what its ASSIGNED, RUNNING and PAUSED tasks asked for, and a
/// node takes only so many tasks that are still starting (<see cref="PlacementPolicy.StartingLimit"/>).
/// The queue and what nodes hold come from <see cref="SchedulerState"/>, in memory: a pass reads
/// nothing from the store, skips the tasks of nodes that can take none, and stops once no node can
/// take more, so it costs what it places plus the nodes, however long the backlog.
/// </remarks>
public sealed class Scheduler(
    SchedulerState state,
    NodeRegistry nodes,
    TaskLifecycle lifecycle,
    SchedulerSignal signal,
    SchedulingGate gate,
    TimeProvider clock,
    ILogger<Scheduler> logger) : BackgroundService
{
    /// <summary>How long the loop waits for an event before it beats anyway (it runs no pass then).</summary>
    public static readonly TimeSpan IdleBeat = TimeSpan.FromSeconds(10);

    /// <summary>How long one pass may take before the loop counts as hung.</summary>
    public static readonly TimeSpan PassBudget = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The loop's heartbeat, which systemd's watchdog is fed by: a scheduler stuck in a pass (a
    /// deadlock, a store that never answers) gets the Host restarted; an idle one does not.
    /// </summary>
    public LoopHeartbeat Heartbeat { get; } = new("scheduler", clock);

    /// <summary>One pass: places every queued task that fits now. Returns how many were placed.</summary>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        using var entered = await gate.EnterAsync(cancellationToken);
        if (state.QueuedCount == 0)
        {
            // Most passes (one per task that starts or ends) find nothing to place.
            return 0;
        }

        var capacities = nodes.Capacities();
        var placed = 0;
        foreach (var (task, node) in Choose(capacities, state.Snapshots(capacities)))
        {
            // From the queue's record: the state check of the write catches any change since.
            var result = await lifecycle.ChangeAsync(
                task,
                current => current.State == TaskState.Queued ? current with { State = TaskState.Assigned, Node = node, Reason = string.Empty } : null,
                $"placed on {node}",
                cancellationToken);
            if (!result.Changed)
            {
                // Changed since it was queued (cancelled before its submit queued it here): the
                // room this pass kept for it may fit another task.
                state.Forget(task, result.Task);
                signal.Request();
                continue;
            }

            placed++;
            // Queued, not awaited: the pass never waits for a Runner's stream (see QueueStart).
            QueueStart(result.Task!, nodes.GetConnection(node), logger);
        }

        return placed;
    }

    // Decides in memory, without waiting on anything, which queued tasks go where in this pass.
    private List<(TaskRecord Task, string Node)> Choose(NodeCapacities capacities, NodeSnapshot[] snapshots)
    {
        var placements = new List<(TaskRecord Task, string Node)>();
        var open = snapshots.Count(node => node.Connected && node.CanStartMore);
        if (open == 0)
        {
            return placements;
        }

        // Requests found not to fit during this pass: placing only fills nodes, so an equal request
        // for the same target further back cannot fit either and is not decided again.
        HashSet<(string? Target, Resources Request)>? waiting = null;
        state.VisitQueued(
            target => target is null || (capacities.IndexOf(target) is var index and >= 0 && snapshots[index].Connected && snapshots[index].CanStartMore),
            task =>
            {
                var target = TargetConversion.ToCore(task.Target);
                var key = (target?.Node, task.Requested);
                if (waiting is not null && waiting.Contains(key))
                {
                    return true;
                }

                var decision = PlacementPolicy.Decide(task.Requested, target, snapshots);
                if (decision is not PlacementDecision.Placed { Node: var node })
                {
                    HostLog.TaskWaits(logger, task.Id.Value, decision is PlacementDecision.Wait wait ? wait.Reason : ((PlacementDecision.NeverFits)decision).Reason);
                    (waiting ??= []).Add(key);
                    return true;
                }

                // What it placed counts against the node for the rest of the pass.
                var index = capacities.IndexOf(node);
                var before = snapshots[index];
                snapshots[index] = before with { Allocated = before.Allocated + task.Requested, Starting = before.Starting + 1 };
                placements.Add((task, node));
                // Once no node can take another task to start, the rest of the backlog waits: stop.
                return snapshots[index].CanStartMore || --open > 0;
            });
        return placements;
    }

    /// <summary>
    /// Queues StartTask for an ASSIGNED task on its Runner's stream and returns at once; the
    /// outcome of the write is only logged. Called under the <see cref="SchedulingGate"/>, so the
    /// command's place in the stream is fixed there, while the write itself happens outside it: a
    /// Runner whose stream does not drain delays its own tasks, never a pass or another node.
    /// A failed send leaves the task ASSIGNED: the Runner's next registration re-sends it.
    /// </summary>
    internal static void QueueStart(TaskRecord task, RunnerConnection? connection, ILogger logger)
    {
        if (connection is null)
        {
            HostLog.StartNotSent(logger, task.Id.Value, task.Node ?? string.Empty, "the node is not connected");
            return;
        }

        var start = new V1.StartTask { TaskId = task.Id.Value, Spec = task.Spec, Target = task.Target };
        var taskId = task.Id.Value;
        var node = connection.NodeName;
        _ = connection.EnqueueCommand(new V1.HostMessage { Start = start }).ContinueWith(
            written =>
            {
                if (written.IsCompletedSuccessfully)
                {
                    HostLog.TaskSent(logger, taskId, node);
                }
                else
                {
                    HostLog.StartNotSent(logger, taskId, node, written.Exception?.GetBaseException().Message ?? "the write was cancelled");
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Tasks queued before a restart get a look as soon as the Host is up.
        signal.Request();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Heartbeat.Beat(IdleBeat + PassBudget);
                if (await signal.WaitAsync(IdleBeat, clock, stoppingToken))
                {
                    await RunPassAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
            {
                // A failed pass must not stop scheduling for good; the next event triggers another.
                HostLog.PassFailed(logger, ex);
            }
        }
    }
}
