using Microsoft.Extensions.Hosting;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Host.Security;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>
/// riverrun.v1.Tasks: applies <see cref="TaskAccess"/> for the caller (own tasks, others' only as
/// id, owner and state), then hands each call to the service that does the work.
/// </summary>
public sealed class TasksService(
    TaskSubmission submission, TaskQueries queries, TaskControl control, OutputWatch watch, WatchLimiter watchLimiter, AuditLog audit, IHostApplicationLifetime lifetime) : V1.Tasks.TasksBase
{
    public override async Task<V1.SubmitResponse> Submit(V1.SubmitRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        // The account is decided before anything is stored: a refused account creates nothing. A
        // malformed user name is left for the submit's validation to name (InvalidArgument).
        if (request.Spec is { } spec && (spec.User.Length == 0 || Core.UserName.Validate(spec.User) is null))
        {
            spec.User = TaskUserPolicy.Resolve(caller, spec.User);
        }

        var response = await submission.SubmitAsync(request, caller.Name, context.CancellationToken);
        audit.Submitted(context, response.Tasks.Select(t => t.Id), request.Spec?.User ?? string.Empty);
        return response;
    }

    public override async Task<V1.TaskInfo> Get(V1.GetTaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Visible(context.GetCaller(), await queries.GetAsync(request, context.CancellationToken));
    }

    public override async Task<V1.ListTasksResponse> List(V1.ListTasksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        var response = await queries.ListAsync(request, context.CancellationToken);
        for (var i = 0; i < response.Tasks.Count; i++)
        {
            response.Tasks[i] = Visible(caller, response.Tasks[i]);
        }

        return response;
    }

    public override async Task WatchOutput(V1.WatchOutputRequest request, IServerStreamWriter<V1.WatchOutputResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var task = await queries.GetRecordAsync(request.TaskId, context.CancellationToken);
        if (!TaskAccess.MayRead(context.GetCaller(), task.Owner))
        {
            throw NotYours(context, task.Id.Value, "watch the output of");
        }

        using var lease = watchLimiter.Enter(context.GetCaller().Name is { Length: > 0 } name ? "token:" + name : WatchLimiter.CallerOf(context.Peer));
        // A followed watch can last as long as its task; a stopping Host, or a revoked token, must not wait for it.
        using var callOrStopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping, context.TokenEnded());
        try
        {
            await watch.RunAsync(request, responseStream, callOrStopping.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Unavailable("the Host is shutting down; watch again from the offsets received so far");
        }
    }

    public override async Task<V1.TaskInfo> Kill(V1.KillRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await EnsureMayControlAsync(context, request.TaskId, "kill");
        return await control.KillAsync(request, context.CancellationToken);
    }

    public override async Task<V1.TaskInfo> Pause(V1.PauseRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await EnsureMayControlAsync(context, request.TaskId, "pause");
        return await control.PauseAsync(request, context.CancellationToken);
    }

    public override async Task<V1.TaskInfo> Resume(V1.ResumeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await EnsureMayControlAsync(context, request.TaskId, "resume");
        return await control.ResumeAsync(request, context.CancellationToken);
    }

    /// <summary>The task as <paramref name="caller"/> may see it: whole, or only id, owner and state.</summary>
    private static V1.TaskInfo Visible(Caller caller, V1.TaskInfo task) =>
        TaskAccess.MayRead(caller, task.Owner) ? task : new V1.TaskInfo { Id = task.Id, Owner = task.Owner, State = task.State };

    private static RpcException NotYours(ServerCallContext context, string taskId, string action) =>
        RpcErrors.PermissionDenied(
            $"the token '{context.GetCaller().Name}' may not {action} task {taskId}: a user token controls only the tasks it submitted; ask the task's owner or an admin");

    private async Task EnsureMayControlAsync(ServerCallContext context, string taskId, string action)
    {
        var task = await queries.GetRecordAsync(taskId, context.CancellationToken);
        if (!TaskAccess.MayControl(context.GetCaller(), task.Owner))
        {
            throw NotYours(context, task.Id.Value, action);
        }

        audit.Controlled(context, action, task.Id.Value);
    }
}
