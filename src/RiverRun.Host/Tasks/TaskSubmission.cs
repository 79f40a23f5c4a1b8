using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>
/// Accepts a submit: validates the whole request, then creates one QUEUED task per target (one
/// for no target) in a single transaction, so a bad field or an unknown node creates nothing.
/// </summary>
public sealed class TaskSubmission(
    ITaskStore store,
    NodeRegistry nodes,
    TaskIdGenerator ids,
    TaskInfoMapper mapper,
    SchedulerState queue,
    SchedulerSignal scheduler,
    TimeProvider clock,
    ILogger<TaskSubmission> logger)
{
    /// <summary>
    /// The most targets one submit may name: each creates a task, and a submit's response lists
    /// them all; 100 tasks of the largest spec (1 MiB, echoed back) would not fit a response, so
    /// the bound is also checked in bytes below.
    /// </summary>
    public const int MaxTargets = 100;

    /// Creates the tasks, owned by <paramref name="owner"/> (the submitting token's name; empty under
    /// open access); throws <see cref="RpcException"/> (InvalidArgument) listing every problem, each with its field.
    /// </summary>
    public async Task<V1.SubmitResponse> SubmitAsync(V1.SubmitRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        Resources requested = Resources.None;
        if (request.Spec is null)
        {
            problems.Add("spec: is missing; it must hold at least argv");
        }
        else
        {
            var specProblems = new List<ValidationProblem>();
            var spec = SpecConversion.ToCore(request.Spec, specProblems);
            specProblems.AddRange(spec.Validate());
            problems.AddRange(specProblems.Select(p => $"spec.{p.Field}: {p.Message}"));
            requested = spec.Resources;
        }

        if (request.Targets.Count > MaxTargets)
        {
            throw RpcErrors.InvalidArgument(
                $"invalid submit: targets: {request.Targets.Count} targets is more than the limit of {MaxTargets} per submit; submit in several batches");
        }

        var copies = Math.Max(request.Targets.Count, 1);
        if (request.Spec is not null && (long)request.Spec.CalculateSize() * copies > TaskQueries.MaxPageBytes)
        {
            // The response echoes the spec once per task; it must fit what clients accept.
            throw RpcErrors.InvalidArgument(
                $"invalid submit: targets: {copies} copies of a {request.Spec.CalculateSize()}-byte spec exceed the limit of {TaskQueries.MaxPageBytes} bytes per submit; use fewer targets per submit");
        }

        // The registry's shared capacity list, not a sorted copy of every node per submit.
        var known = nodes.Capacities();
        for (var i = 0; i < request.Targets.Count; i++)
        {
            if (CheckTarget(request.Targets[i], $"targets[{i}]", requested, known) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (request.Targets.Count == 0 && known.Count > 0 && !known.Any(n => requested.Fits(n.Capacity)))
        {
            var largest = new Resources(known.Max(n => n.Capacity.Cores), known.Max(n => n.Capacity.MemoryBytes));
            problems.Add($"spec.resources: the task asks for {requested} but no node has that much in total (the most any node has: {largest})");
        }

        if (problems.Count > 0)
        {
            throw RpcErrors.InvalidArgument("invalid submit: " + string.Join("; ", problems));
        }

        var now = clock.GetUtcNow();
        var targets = request.Targets.Count == 0 ? [null] : request.Targets.Select(t => (V1.TargetSelector?)t.Clone()).ToList();
        var tasks = targets
            .Select(target => new TaskRecord
            {
                Id = ids.Next(),
                Spec = request.Spec!.Clone(),
                Target = target,
                State = TaskState.Queued,
                CreatedAt = now,
                Owner = owner,
            })
            .ToList();
        await store.InsertAsync(tasks, cancellationToken);
        // Durable now: the scheduler may place them.
        queue.Enqueue(tasks);
        foreach (var task in tasks)
        {
            HostLog.TaskSubmitted(logger, task.Id.Value, task.Target?.Node ?? "(any)");
        }

        scheduler.Request();
        var response = new V1.SubmitResponse();
        response.Tasks.AddRange(tasks.Select(mapper.ToInfo));
        return response;
    }

    private string? CheckTarget(V1.TargetSelector target, string field, Resources requested, NodeCapacities known)
    {
        if (target.Node.Length == 0)
        {
            return $"{field}.node: is empty; name a node, or send no targets to let the scheduler choose";
        }

        try
        {
            _ = TargetConversion.ToCore(target);
        }
        catch (ArgumentException ex)
        {
            // The selector's own message already says what is wrong (name rule, negative index, repeated GPU).
            return $"{field}: {ex.Message.Split(" (Parameter", 2)[0]}";
        }

        var node = nodes.Find(target.Node);
        if (node is null)
        {
            var names = known.Count == 0 ? "no node has registered yet" : "known nodes: " + string.Join(", ", known.Select(n => n.Name));
            return $"{field}.node: no node named '{target.Node}'; {names}";
        }

        return requested.Fits(node.Capacity)
            ? null
            : $"{field}: the task asks for {requested} but node '{node.Name}' has only {node.Capacity} in total";
    }
}
